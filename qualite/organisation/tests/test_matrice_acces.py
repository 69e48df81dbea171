"""La matrice des fuites, tirée de l'URLconf : chaque URL × chaque rôle (et des comptes à deux rôles),
sur un enregistrement de son pôle (A), d'un autre pôle du même établissement (A2) et de l'autre
établissement (B).

- anonyme : renvoyé vers la connexion ;
- sans la permission : 403 (404 quand la page ne fait que filtrer ce que l'on voit) ;
- hors périmètre : 404, page en français ;
- listes, exports, PDF, tableaux de bord et flux iCalendar : jamais de marqueur « FUITE-B- » planté dans
  l'autre établissement, ni « FUITE-POLE- » pour qui est limité à son pôle ou à son unité ;
- mauvaise méthode : 405, jamais 200 ni 500.

Toute URL nommée doit avoir sa ligne dans ENTREES : une nouvelle page sans ligne fait échouer la suite.
Les données sont construites une fois pour le module (django_db_blocker), chaque cas tourne dans sa
transaction annulée."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import construire_monde, texte
from qualite.organisation import access
from qualite.organisation.access import Portee
from qualite.organisation.roles import Role
from qualite.organisation.tests import francais

R = Role
FUITE_B = "FUITE-B-"
FUITE_POLE = "FUITE-POLE-"
ROLES_DE_POLE = {R.DECLARANT, R.CADRE_POLE, R.PSYCHIATRE}

# ---------------------------------------------------------------------------------------------------
# Le jeu de données, construit une fois


@dataclass
class Jeu:
    monde: object
    users: dict  # clé -> utilisateur (None : anonyme)
    objets: dict  # (type, cible) -> objet ; cible : "A", "A2", "B"
    sessions: dict  # clé -> cookie de session, ouverte une fois pour le module


DOUBLES = {
    "cadre+declarant": [R.CADRE_POLE, R.DECLARANT],
    "psychiatre+declarant": [R.PSYCHIATRE, R.DECLARANT],
    "relations+cdu": [R.RELATIONS_USAGERS, R.MEMBRE_CDU],
    "gestionnaire+cadre": [R.GESTIONNAIRE_RISQUES, R.CADRE_POLE],
    "psychiatre+admissions": [R.PSYCHIATRE, R.BUREAU_ADMISSIONS],
    "direction+cadre": [R.DIRECTION, R.CADRE_POLE],
}
CLES_UTILISATEURS = ["anonyme", *Role.values, *DOUBLES]


def _pdf_vide() -> bytes:
    from pypdf import PdfWriter

    ecrivain, sortie = PdfWriter(), io.BytesIO()
    ecrivain.add_blank_page(width=200, height=200)
    ecrivain.write(sortie)
    return sortie.getvalue()


def _construire(media) -> Jeu:
    from django.contrib.contenttypes.models import ContentType

    from certification.models import EPP, Audit, Evaluation
    from certification.tests.factories import CritereFactory, IndicateurFactory, ValeurFactory
    from evenements.models import AnalyseApprofondie, DeclarationARS
    from evenements.tests.factories import EvenementFactory
    from qualite.echeances.models import Echeance, RegleEcheance
    from qualite.organisation.tests.factories import UtilisateurFactory
    from qualite.paqss.models import ActionAmelioration
    from qualite.pilotage.models import RapportAnnuel
    from usagers.relations.models import (
        CampagneDialogue,
        DemandeDossier,
        MembreCDU,
        Reclamation,
        RecommandationCDU,
        SeanceCDU,
    )
    from usagers.ssc import services as us
    from usagers.ssc.models import ActeMesure, MesureIsolement

    m = construire_monde()
    users = {"anonyme": None, **m.users}
    for cle, roles in DOUBLES.items():
        limite = bool(set(roles) & ROLES_DE_POLE)
        users[cle] = UtilisateurFactory(username=cle.replace("+", "_"), roles=list(roles), etablissements=[m.etab_a],
                                        pole=m.pole_a if limite else None, service=m.service_a if limite else None)
    auteur_a2 = UtilisateurFactory(username="auteur_a2", roles=[R.DECLARANT], etablissements=[m.etab_a],
                                   pole=m.pole_a2, service=m.service_a2)
    services = {"A": m.service_a, "A2": m.service_a2, "B": m.service_b}
    marque = {"A": "PROPRE-A-", "A2": FUITE_POLE, "B": FUITE_B}
    auteurs = {"A": m.users["declarant"], "A2": auteur_a2, "B": m.user_b}
    gestionnaire = m.users["gestionnaire_risques"]
    relations = m.users["relations_usagers"]
    o = {}
    ct_ev = None
    for cible, service in services.items():
        mk = marque[cible]
        etab = service.pole.etablissement
        ev = EvenementFactory(service=service, created_by=auteurs[cible], reference=f"{mk}EI", description=f"{mk}EI description",
                              lieu=f"{mk}EI lieu", mesures_immediates=f"{mk}EI mesures", est_eigs=True,
                              resume_anonymise=f"{mk}EI résumé")
        o["ev", cible] = ev
        DeclarationARS.objects.create(evenement=ev, nature=f"{mk}ARS", created_by=gestionnaire)
        o["analyse", cible] = AnalyseApprofondie.objects.create(evenement=ev, date=date(2026, 1, 5),
                                                                participants=f"{mk}ANALYSE", created_by=gestionnaire)
        ct_ev = ct_ev or ContentType.objects.get_for_model(ev)
        o["action", cible] = ActionAmelioration.objects.create(
            titre=f"{mk}ACTION", origine=ActionAmelioration.Origine.AXE, etablissement=etab, pole=service.pole,
            service=service)
        o["pole", cible] = service.pole
        o["evaluation", cible] = Evaluation.objects.create(
            methode=Evaluation.Methode.AUDIT_SYSTEME, date=date(2026, 10, 1), etablissement=etab, service=service,
            evaluateurs=f"{mk}EVAL", constats=f"{mk}EVAL constats")
        Audit.objects.create(titre=f"{mk}AUDIT", date=date(2026, 3, 1), etablissement=etab, service=service)
        EPP.objects.create(theme=f"{mk}EPP", pilotes="Dr X", etablissement=etab, pole=service.pole)
        mesure = us.mesure_admettre(
            par=m.users["bureau_admissions"], service=service,
            patient={"ipp": f"IPP-{cible}", "nom": f"{mk}PATIENT", "prenom": "Léa", "date_naissance": date(1990, 3, 2)},
            mesure={"mode": "sdt", "t0": timezone.now() - timedelta(days=10), "tiers_nom": f"{mk}TIERS",
                    "tiers_lien": "sœur"})
        mesure.reference = f"{mk}SSC"
        mesure.save(update_fields=["reference"])
        o["mesure", cible] = mesure
        o["acte", cible] = ActeMesure.objects.create(mesure=mesure, type="certificat_24h",
                                                     date_heure=mesure.t0 + timedelta(hours=20),
                                                     auteur=f"{mk}AUTEUR-ACTE", created_by=m.users["bureau_admissions"])
        o["isolement", cible] = MesureIsolement.objects.create(
            mesure=mesure, type="isolement", psychiatre=f"{mk}PSY", debut=mesure.t0 + timedelta(days=1),
            fin=mesure.t0 + timedelta(days=1, hours=6), surveillance=f"{mk}SURVEILLANCE",
            created_by=m.users["bureau_admissions"])
        if cible == "A2":
            continue  # les registres des usagers sont tenus par établissement : pas de pôle
        o["reclamation", cible] = Reclamation.objects.create(
            reference=f"{mk}REC", etablissement=etab, nature="reclamation", canal="courrier", categories=["soins"],
            auteur_nom=f"{mk}AUTEUR", lien_patient="fils", patient_nom=f"{mk}PATIENT-REC", objet=f"{mk}OBJET",
            resume_anonymise=f"{mk}RESUME", resume_valide=True, recue_le=date(2026, 1, 31), created_by=relations)
        o["dossier", cible] = DemandeDossier.objects.create(
            reference=f"{mk}DOS", etablissement=etab, patient_nom=f"{mk}PATIENT-DOS",
            patient_naissance=date(1950, 1, 1), demandeur_type="patient", demandeur_nom=f"{mk}DEMANDEUR",
            informations_du=date(2025, 6, 1),
            recue_le=timezone.now() - timedelta(days=3), created_by=relations)
        o["membre", cible] = MembreCDU.objects.create(
            etablissement=etab, nom=f"{mk}MEMBRE", role=MembreCDU.Role.values[0], debut_mandat=date(2025, 1, 1),
            fin_mandat=date(2028, 1, 1), created_by=relations)
        o["seance", cible] = SeanceCDU.objects.create(
            etablissement=etab, date=date(2026, 3, 2), statut="tenue", ordre_du_jour=f"{mk}ODJ",
            compte_rendu=f"{mk}CR", created_by=relations)
        o["recommandation", cible] = RecommandationCDU.objects.create(
            seance=o["seance", cible], texte=f"{mk}RECO", created_by=relations)
        o["campagne", cible] = CampagneDialogue.objects.create(
            etablissement=etab, titre=f"{mk}CAMPAGNE", debut=date(2026, 2, 1), synthese=f"{mk}SYNTHESE",
            created_by=relations)
        rapport = RapportAnnuel.objects.create(annee=2025, ght=m.ght, etablissement=etab, demande_par=gestionnaire,
                                               statut=RapportAnnuel.Statut.PRET)
        rapport.fichier.save(f"rapport-{cible}.pdf", ContentFile(_pdf_vide()), save=False)
        rapport.fichier_anonyme.save(f"rapport-{cible}-anonyme.pdf", ContentFile(_pdf_vide()), save=False)
        rapport.save()
        o["rapport", cible] = rapport
    # Deux actions correctives de l'évènement A : l'une dans son pôle, l'autre confiée à un autre pôle.
    for pole, titre in ((m.pole_a, "PROPRE-A-ACTION-DE-L-EI-A"), (m.pole_a2, f"{FUITE_POLE}ACTION-DE-L-EI-A")):
        ActionAmelioration.objects.create(titre=titre, origine=ActionAmelioration.Origine.AXE, etablissement=m.etab_a,
                                          pole=pole, source_type=ct_ev, source_id=o["ev", "A"].pk)
    # Des échéances dont la règle concerne tous les rôles sauf le déclarant, une par cible.
    regle = RegleEcheance.objects.create(code="matrice", module="test", libelle="Règle de la matrice",
                                         roles=[r for r in Role.values if r != R.DECLARANT])
    ct_service = ContentType.objects.get_for_model(m.service_a)
    for cible, service in services.items():
        Echeance.objects.create(regle=regle, content_type=ct_service, object_id=service.pk, cle="",
                                reference=f"{marque[cible]}ECHEANCE", etablissement=service.pole.etablissement,
                                pole=service.pole, service=service, echeance=timezone.now() + timedelta(days=5))
    critere = CritereFactory()
    o["critere", "A"] = critere
    indicateur = IndicateurFactory()
    for service in services.values():
        ValeurFactory(indicateur=indicateur, etablissement=service.pole.etablissement, service=service)
    o["indicateur", "A"] = indicateur
    sessions = {}
    for cle, user in users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[cle] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Jeu(m, users, o, sessions)


@pytest.fixture(scope="module")
def jeu(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _construire(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---------------------------------------------------------------------------------------------------
# La table : nom d'URL -> comment la construire et qui y a droit


def P(*permissions) -> Callable:
    """Permis à qui a l'une des permissions."""
    return lambda u: any(access.has_perm(u, p) for p in permissions)


TOUS = P("evenements.declarer")


def voit_evenement(u) -> bool:
    return access.has_perm(u, "evenements.voir") or u.username == "declarant"


def voit_ssc(u) -> bool:
    return not access.perimetre(u, "ssc.voir").vide


@dataclass
class Entree:
    permis: Callable | None  # None : page publique (connexion, flux iCalendar)
    objet: str | None = None  # type d'objet du jeu
    kwargs: Callable | None = None  # (jeu, cible) -> kwargs ; par défaut {"pk": objet.pk}
    post: bool = False  # vue en POST seulement : on POSTe un formulaire vide
    refus: int | Callable = 403  # statut sans permission (404 : la page ne fait que filtrer)
    portee: str | None = None  # permission dont la portée décide du pôle A2 (objet et marqueurs)
    liste: tuple = ()  # variantes de paramètres GET dont le contenu est lu pour les marqueurs
    pole_interdit: Callable | None = None  # qui ne doit jamais lire FUITE-POLE (par défaut : selon `portee`)
    ok: tuple = (200,)


def _import_de(jeu) -> int:
    from qualite.taches.models import ImportFichier

    demande, _ = ImportFichier.objects.get_or_create(jeton="0" * 32, defaults={
        "registre": "evenements", "nom_fichier": "matrice.csv", "statut": "termine",
        "demande_par": jeu.monde.users["gestionnaire_risques"]})
    return demande.pk


def refus_ev(u):
    return 403 if voit_evenement(u) else 404


def refus_ssc(u):
    return 403 if voit_ssc(u) else 404


def de_pole(u) -> bool:
    return set(u.roles) <= ROLES_DE_POLE


def jamais(u) -> bool:
    return True


def _pk(type_):
    return lambda j, c: {"pk": j.objets[type_, c].pk}


EXPORTS = ({}, {"export": "csv"}, {"export": "xlsx"})

ENTREES: dict[str, Entree] = {
    # connexion
    "login": Entree(None),
    "logout": Entree(None, post=True),
    "password_change": Entree(TOUS, liste=()),
    "password_change_done": Entree(TOUS),
    # socle
    "qualite:accueil": Entree(TOUS, liste=({},), pole_interdit=de_pole),
    "qualite:mes_echeances": Entree(P("echeances.voir"), liste=({},), pole_interdit=de_pole),
    "qualite:ical_jeton": Entree(P("echeances.voir"), post=True),
    "qualite:ical": Entree(None, kwargs=lambda j, c: {"jeton": "inconnu"}),
    "qualite:regles": Entree(P("echeances.regles")),
    "qualite:regle_modifier": Entree(P("echeances.regles_modifier"), kwargs=lambda j, c: {"code": "ssc-certificat-24h"}),
    "qualite:audit": Entree(P("audit.consulter"), liste=({},)),
    "qualite:importer": Entree(P("import.registres")),
    "qualite:importer_confirmer": Entree(P("import.registres"), post=True, ok=(200, 302)),
    "qualite:importer_abandonner": Entree(P("import.registres"), post=True, ok=(200, 302)),
    "qualite:programme": Entree(P("paqss.voir"), portee="paqss.voir", liste=EXPORTS),
    "qualite:action_detail": Entree(P("paqss.voir"), "action", portee="paqss.voir"),
    "qualite:action_modifier": Entree(P("paqss.gerer"), "action", post=True, portee="paqss.voir", ok=(200, 302)),
    "qualite:action_statut": Entree(P("paqss.gerer"), "action", post=True, portee="paqss.voir", ok=(200, 302)),
    "qualite:mon_pole": Entree(lambda u: access.has_perm(u, "paqss.voir") and u.pole_id is not None,
                               refus=lambda u: 404 if access.has_perm(u, "paqss.voir") else 403, ok=(302,)),
    "qualite:plan_pole": Entree(P("paqss.voir"), "pole", portee="paqss.voir", liste=({},)),
    # pilotage
    "pilotage:rapports": Entree(P("rapports.generer", "rapports.telecharger_anonyme"), liste=({},)),
    "pilotage:rapport_telecharger": Entree(P("rapports.generer", "rapports.telecharger_anonyme"), "rapport"),
    "pilotage:tableau_direction": Entree(P("tableaux.direction"), liste=({},)),
    "pilotage:tableau_cdu": Entree(P("tableaux.cdu", "tableaux.direction"), liste=({},)),
    "pilotage:tableau_pole": Entree(P("tableaux.pole", "tableaux.direction"), liste=({},),
                                    pole_interdit=lambda u: not access.has_perm(u, "tableaux.direction")),
    # évènements indésirables
    "evenements:declarer": Entree(TOUS),
    "evenements:mes_declarations": Entree(TOUS, liste=({},), pole_interdit=jamais),
    "evenements:liste": Entree(P("evenements.voir"), portee="evenements.voir", liste=EXPORTS),
    "evenements:statistiques": Entree(P("evenements.statistiques_anonymes", "evenements.voir"), liste=({},)),
    "evenements:revues": Entree(P("evenements.gerer"), portee="evenements.voir", liste=({},)),
    "evenements:detail": Entree(voit_evenement, "ev", refus=404, portee="evenements.voir"),
    "evenements:qualifier": Entree(P("evenements.gerer"), "ev", post=True, refus=refus_ev, portee="evenements.voir",
                                   ok=(200, 302)),
    "evenements:changer_statut": Entree(P("evenements.gerer"), "ev", post=True, refus=refus_ev,
                                        portee="evenements.voir", ok=(200, 302)),
    "evenements:retour": Entree(P("evenements.gerer"), "ev", post=True, refus=refus_ev, portee="evenements.voir",
                                ok=(200, 302)),
    "evenements:action_ajouter": Entree(P("evenements.gerer"), "ev", post=True, refus=refus_ev,
                                        portee="evenements.voir", ok=(200, 302)),
    "evenements:ars": Entree(P("evenements.gerer"), "ev", refus=refus_ev, portee="evenements.voir"),
    "evenements:ars_pdf": Entree(P("evenements.gerer"), "ev", refus=refus_ev, portee="evenements.voir",
                                 kwargs=lambda j, c: {"pk": j.objets["ev", c].pk, "partie": 1}, liste=({},)),
    "evenements:analyse": Entree(P("evenements.gerer"), "ev", refus=refus_ev, portee="evenements.voir"),
    "evenements:analyse_modifier": Entree(
        P("evenements.gerer"), "ev", refus=refus_ev, portee="evenements.voir",
        kwargs=lambda j, c: {"pk": j.objets["ev", c].pk, "analyse_pk": j.objets["analyse", c].pk}),
    # certification
    "certification:referentiel": Entree(P("certification.consulter")),
    "certification:critere": Entree(P("certification.consulter"), "critere", liste=({},),
                                    pole_interdit=lambda u: access.perimetre(u, "certification.consulter").portee
                                    < Portee.ETABLISSEMENT),
    "certification:evaluations": Entree(P("certification.consulter"), portee="certification.consulter", liste=({},)),
    "certification:evaluation": Entree(P("certification.consulter"), "evaluation", portee="certification.consulter"),
    "certification:evaluation_action": Entree(
        P("certification.gerer"), "evaluation", post=True, portee="certification.consulter", ok=(200, 302),
        refus=lambda u: 403),
    "certification:registres": Entree(P("certification.consulter"), portee="certification.consulter", liste=({},)),
    "certification:exporter": Entree(P("certification.consulter"), kwargs=lambda j, c: {"code": "evaluations"},
                                     portee="certification.consulter", liste=({"format": "csv"},)),
    "certification:indicateurs": Entree(P("certification.consulter")),
    "certification:indicateur": Entree(P("certification.consulter"), "indicateur"),
    # soins sans consentement
    "usagers:ssc_journal": Entree(voit_ssc, portee="ssc.voir", liste=({},)),
    "usagers:ssc_mesures": Entree(voit_ssc, portee="ssc.voir",
                                  liste=(*EXPORTS, {"export": "actes-csv"}, {"export": "actes-xlsx"})),
    "usagers:ssc_nouvelle": Entree(P("ssc.gerer")),
    "usagers:ssc_mesure": Entree(voit_ssc, "mesure", refus=404, portee="ssc.voir"),
    "usagers:ssc_acte": Entree(P("ssc.certificats", "ssc.decisions", "ssc.lever"), "mesure", post=True,
                               refus=refus_ssc, portee="ssc.voir", ok=(200, 302)),
    "usagers:ssc_acte_annuler": Entree(
        P("ssc.annuler"), "mesure", post=True, refus=refus_ssc, portee="ssc.voir", ok=(200, 302),
        kwargs=lambda j, c: {"pk": j.objets["mesure", c].pk, "acte_pk": j.objets["acte", c].pk}),
    "usagers:ssc_document": Entree(P("ssc.gerer"), "mesure", post=True, refus=refus_ssc, portee="ssc.voir",
                                   ok=(200, 302)),
    "usagers:ssc_isolement": Entree(voit_ssc, "mesure", refus=404, portee="ssc.voir"),
    "usagers:ssc_isolement_modifier": Entree(
        voit_ssc, "mesure", refus=404, portee="ssc.voir",
        kwargs=lambda j, c: {"pk": j.objets["mesure", c].pk, "decision_pk": j.objets["isolement", c].pk}),
    "usagers:ssc_isolement_evaluation": Entree(
        P("ssc.evaluations"), "mesure", post=True, refus=refus_ssc, portee="ssc.voir", ok=(302, 400),
        kwargs=lambda j, c: {"pk": j.objets["mesure", c].pk, "decision_pk": j.objets["isolement", c].pk}),
    "usagers:ssc_juge_isolement": Entree(P("ssc.juge_isolement"), "mesure", post=True, refus=refus_ssc,
                                         portee="ssc.voir", ok=(200, 302)),
    "usagers:ssc_registre": Entree(voit_ssc, portee="ssc.voir",
                                   liste=(*EXPORTS, {"export": "decisions-csv"}, {"export": "decisions-xlsx"})),
    "usagers:ssc_statistiques": Entree(P("ssc.statistiques"), liste=({},)),
    # relations avec les usagers
    "usagers:reclamations": Entree(P("reclamations.voir_nominatif", "reclamations.voir_anonymise"), liste=EXPORTS),
    "usagers:reclamation_nouvelle": Entree(P("reclamations.gerer")),
    "usagers:reclamation": Entree(P("reclamations.voir_nominatif", "reclamations.voir_anonymise"), "reclamation",
                                  refus=404),
    "usagers:reclamation_lettre": Entree(
        P("reclamations.gerer"), "reclamation", liste=({},),
        kwargs=lambda j, c: {"pk": j.objets["reclamation", c].pk, "type_lettre": "accuse"}),
    "usagers:reclamation_evenement": Entree(P("reclamations.gerer"), "reclamation", post=True, ok=(200, 302)),
    "usagers:reclamation_action": Entree(P("reclamations.gerer"), "reclamation", post=True, ok=(200, 302)),
    "usagers:dossiers": Entree(P("dossiers.gerer"), liste=EXPORTS),
    "usagers:dossier_nouveau": Entree(P("dossiers.gerer")),
    "usagers:dossier": Entree(P("dossiers.gerer"), "dossier"),
    "usagers:cdu": Entree(P("cdu.consulter"), liste=EXPORTS),
    "usagers:membre_nouveau": Entree(P("cdu.gerer")),
    "usagers:membre": Entree(P("cdu.gerer"), "membre"),
    "usagers:seance_nouvelle": Entree(P("cdu.gerer")),
    "usagers:seance": Entree(P("cdu.consulter"), "seance",
                             refus=lambda u: 403 if access.has_perm(u, "ru.campagnes") else 404),
    "usagers:recommandation_ajouter": Entree(P("cdu.gerer"), "seance", post=True, ok=(200, 302)),
    "usagers:recommandation_action": Entree(P("cdu.gerer"), "recommandation", post=True, ok=(200, 302)),
    "usagers:rapport_cdu": Entree(P("cdu.consulter"), liste=({"annee": 2026}, {"annee": 2026, "format": "pdf"})),
    "usagers:representants": Entree(P("cdu.consulter", "ru.campagnes"), liste=({},)),
    "usagers:campagnes": Entree(P("ru.campagnes"), liste=({},)),
    "usagers:campagne": Entree(P("ru.campagnes"), "campagne"),
    # pièces jointes (qualite/pieces) : éprouvées sur la mesure SSC, la plus sensible ; les autres
    # enregistrements suivent la même règle, testée dans qualite/pieces/tests/.
    "pieces:liste": Entree(voit_ssc, "mesure", refus=404, portee="ssc.voir",
                           kwargs=lambda j, c: {"cle": "ssc-mesure", "pk": j.objets["mesure", c].pk}),
    "pieces:ajouter": Entree(P("ssc.gerer", "ssc.certificats"), "mesure", post=True, refus=refus_ssc,
                             portee="ssc.voir", kwargs=lambda j, c: {"cle": "ssc-mesure", "pk": j.objets["mesure", c].pk}),
    "pieces:telecharger": Entree(voit_ssc, "mesure", refus=404, portee="ssc.voir",
                                 kwargs=lambda j, c: {"pk": _piece_de_la_mesure(j, c).pk}),
    "pieces:archiver": Entree(P("ssc.gerer", "ssc.certificats"), "mesure", post=True, refus=refus_ssc,
                              portee="ssc.voir", kwargs=lambda j, c: {"pk": _piece_de_la_mesure(j, c).pk}),
    # cartographie des risques (qualite/risques) : données créées dans chaque cas par qualite/risques/tests/matrice.py
    "risques:liste": Entree(P("risques.voir"), portee="risques.voir", liste=EXPORTS,
                            kwargs=lambda j, c: _risques().preparer(j)),
    "risques:nouveau": Entree(P("risques.modifier")),
    "risques:carte": Entree(P("risques.voir"), portee="risques.voir", liste=({}, {"date": "2026-06-01"}),
                            kwargs=lambda j, c: _risques().preparer(j)),
    "risques:carte_pdf": Entree(P("risques.voir"), portee="risques.voir", liste=({"date": "2026-06-01"},),
                                kwargs=lambda j, c: _risques().preparer(j)),
    "risques:suggestions": Entree(P("risques.modifier"), portee="risques.voir", liste=({},),
                                  kwargs=lambda j, c: _risques().preparer(j)),
    "risques:detail": Entree(P("risques.voir"), "risque", kwargs=lambda j, c: _risques().pk_risque(j, c),
                             portee="risques.voir"),
    "risques:modifier": Entree(P("risques.modifier"), "risque", kwargs=lambda j, c: _risques().pk_risque(j, c),
                               portee="risques.voir"),
    "risques:coter": Entree(P("risques.modifier"), "risque", kwargs=lambda j, c: _risques().pk_risque(j, c),
                            portee="risques.voir"),
    "risques:action_ajouter": Entree(P("risques.modifier"), "risque", post=True, ok=(200, 302), portee="risques.voir",
                                     kwargs=lambda j, c: _risques().pk_risque(j, c)),
    "risques:action_lier": Entree(P("risques.modifier"), "risque", post=True, ok=(200, 302), portee="risques.voir",
                                  kwargs=lambda j, c: _risques().pk_risque(j, c)),
    "risques:evenement_lier": Entree(P("risques.modifier"), "risque", post=True, ok=(200, 302), portee="risques.voir",
                                     kwargs=lambda j, c: _risques().pk_risque(j, c)),
    "risques:familles": Entree(P("risques.modifier"), liste=({},), kwargs=lambda j, c: _risques().preparer(j)),
    "risques:famille": Entree(P("risques.modifier"), "famille_risque", kwargs=lambda j, c: _risques().pk_famille(j, c),
                              portee="risques.voir"),
    "risques:evenement_suggerer": Entree(P("risques.modifier"), "ev", post=True, ok=(302,), portee="risques.voir",
                                         kwargs=lambda j, c: {"ev_pk": j.objets["ev", c].pk}),
    "risques:evenement_decider": Entree(P("risques.modifier"), "risque", post=True, ok=(302,), portee="risques.voir",
                                        kwargs=lambda j, c: _risques().pk_lien(j, c)),
    # identité : groupes de l'annuaire -> rôles, jetons d'API (issue 20)
    "qualite:correspondances": Entree(P("organisation.administrer"), liste=({},)),
    "qualite:correspondance_nouvelle": Entree(P("organisation.administrer")),
    "qualite:correspondance_modifier": Entree(P("organisation.administrer"),
                                              kwargs=lambda j, c: {"pk": _correspondance().pk}),
    "qualite:jeton_api": Entree(P("api.utiliser"), liste=({},)),
    "qualite:jeton_api_creer": Entree(P("api.utiliser"), post=True),
    # Someone else's token: absent for everyone (a user revokes only their own).
    "qualite:jeton_api_revoquer": Entree(P("api.utiliser"), post=True, ok=(404,),
                                         kwargs=lambda j, c: {"pk": _jeton_d_autrui(j).pk}),
    # gestion documentaire (qualite/documents) : un document par cible, créé dans la transaction du cas ;
    # les documents valent pour tout l'établissement (A2 visible), jamais pour l'autre (B).
    "documents:liste": Entree(P("documents.voir"), kwargs=lambda j, c: _documents_partout(j), liste=({}, {"type": "procedure"})),
    "documents:a_lire": Entree(P("documents.voir"), kwargs=lambda j, c: _documents_partout(j), liste=({},)),
    "documents:recherche": Entree(P("documents.voir"), kwargs=lambda j, c: _documents_partout(j),
                                  liste=({"q": "procedure"},)),
    "documents:nouveau": Entree(P("documents.rediger")),
    "documents:detail": Entree(P("documents.voir"), "pole", kwargs=lambda j, c: {"pk": _document_de(j, c)[0].pk}),
    "documents:modifier": Entree(P("documents.rediger"), "pole", kwargs=lambda j, c: {"pk": _document_de(j, c)[0].pk}),
    "documents:version_ajouter": Entree(P("documents.rediger"), "pole", post=True, ok=(200, 302),
                                        kwargs=lambda j, c: {"pk": _document_de(j, c)[0].pk}),
    "documents:lien_critere": Entree(P("documents.rediger"), "pole", post=True, ok=(200, 302),
                                     kwargs=lambda j, c: {"pk": _document_de(j, c)[0].pk}),
    "documents:lien_action": Entree(P("documents.rediger"), "pole", post=True, ok=(200, 302),
                                    kwargs=lambda j, c: {"pk": _document_de(j, c)[0].pk}),
    "documents:mouvement": Entree(lambda u: _gere_documents(u), "pole", post=True, ok=(302,),
                                  kwargs=lambda j, c: {"pk": _document_de(j, c)[1].pk}),
    "documents:diffuser": Entree(P("documents.diffuser"), "pole",
                                 refus=lambda u: 403 if _gere_documents(u) else 404,
                                 kwargs=lambda j, c: {"pk": _document_de(j, c, statut="approuvee")[1].pk}),
    "documents:diffusion": Entree(lambda u: _gere_documents(u), "pole", liste=EXPORTS,
                                  kwargs=lambda j, c: {"pk": _document_de(j, c)[1].pk}),
    "documents:telecharger": Entree(P("documents.voir"), "pole", kwargs=lambda j, c: {"pk": _document_de(j, c)[1].pk}),
    "documents:accuser_lecture": Entree(P("documents.voir"), "pole", post=True, ok=(302,),
                                        kwargs=lambda j, c: {"pk": _document_de(j, c)[1].pk}),
    # certification depuis les écrans (issue 18, livrables 2 et 3) : import du référentiel
    "certification:referentiel_importer": Entree(P("certification.gerer")),
    "certification:referentiel_confirmer": Entree(P("certification.gerer"), post=True, ok=(302,)),
    # visites de certification : données créées dans chaque cas par certification/tests/matrice.py
    "certification:visites": Entree(P("certification.consulter"), liste=({},),
                                    kwargs=lambda j, c: _certification().preparer(j)),
    "certification:visite_nouvelle": Entree(P("certification.gerer")),
    "certification:visite": Entree(P("certification.consulter"), "visite",
                                   kwargs=lambda j, c: _certification().pk_visite(j, c)),
    "certification:visite_modifier": Entree(P("certification.gerer"), "visite",
                                            kwargs=lambda j, c: _certification().pk_visite(j, c)),
    "certification:visite_constat": Entree(P("certification.gerer"), "visite", post=True, ok=(200, 302),
                                           kwargs=lambda j, c: _certification().pk_visite(j, c)),
    "certification:visite_condition": Entree(P("certification.gerer"), "visite", post=True, ok=(200, 302),
                                             kwargs=lambda j, c: _certification().pk_visite(j, c)),
    # pages de saisie des registres (audits, EPP, processus, enquêtes, indicateurs)
    "certification:registre_nouveau": Entree(P("certification.gerer"), kwargs=lambda j, c: {"code": "processus"}),
    "certification:registre_modifier": Entree(P("certification.gerer"), "processus_cert",
                                              kwargs=lambda j, c: _certification().pk_processus(j, c)),
    # préparation de la certification (preuves par critère) : la liste lue pour les marqueurs
    "certification:preparation": Entree(P("certification.consulter"), liste=({}, {"etablissement": "0"}),
                                        kwargs=lambda j, c: _certification().preparer(j)),
    # export FHIR des évènements : la ressource d'un évènement, le lot d'une période (lu pour les marqueurs,
    # nominatif ou, pour la CDU et les représentants des usagers, anonymisé)
    "evenements:fhir": Entree(P("evenements.export_fhir"), "ev", refus=refus_ev, portee="evenements.voir"),
    "evenements:fhir_lot": Entree(P("evenements.export_fhir", "evenements.statistiques_anonymes"), liste=(
        {}, *({"du": f"{date.today() - timedelta(days=30)}", "au": f"{date.today()}", "version": v} for v in ("R5", "R4")))),
    # connexion OpenID Connect (éteinte dans la matrice : 404 ; parcours dans qualite/identite/tests/test_oidc.py)
    "oidc_connexion": Entree(None),
    "oidc_retour": Entree(None),
    # suivi d'un import confirmé (issue 15) : seul celui qui l'a demandé le voit, 404 pour les autres
    "qualite:import_suivi": Entree(P("import.registres"), ok=(200, 404), kwargs=lambda j, c: {"pk": _import_de(j)}),
    # apport des représentants des usagers (issue 19, livrable 2) : données créées dans chaque cas par
    # usagers/impact/tests/matrice.py ; campagnes d'impact par établissement, bientraitance par service
    "impact:indicateurs": Entree(P("impact.consulter", "impact.repondre"), liste=({}, {"annee": 2026}),
                                 kwargs=lambda j, c: _impact().preparer(j)),
    "impact:campagnes": Entree(P("impact.consulter", "impact.repondre"), liste=({},),
                               kwargs=lambda j, c: _impact().preparer(j)),
    "impact:campagne": Entree(P("impact.consulter", "impact.repondre"), "campagne_impact",
                              kwargs=lambda j, c: _impact().pk_campagne(j, c)),
    "impact:repondre": Entree(P("impact.repondre"), "campagne_impact",
                              kwargs=lambda j, c: {**_impact().pk_campagne(j, c), "temps": "avant"}),
    "impact:bientraitance": Entree(P("bientraitance.voir"), portee="bientraitance.voir", liste=({}, {"annee": 2026}),
                                   kwargs=lambda j, c: _impact().preparer(j)),
    "impact:bientraitance_campagne": Entree(P("bientraitance.voir"), "bientraitance", portee="bientraitance.voir",
                                            kwargs=lambda j, c: _impact().pk_bientraitance(j, c)),
    "impact:bientraitance_action": Entree(P("bientraitance.saisir"), "bientraitance", post=True, ok=(302,),
                                          portee="bientraitance.saisir", kwargs=lambda j, c: _impact().pk_action(j, c)),
    # espaces d'échanges des services (qualite/espaces) : données créées dans chaque cas par
    # qualite/espaces/tests/matrice.py ; voir dans la portée de espaces.voir, écrire dans celle de espaces.animer
    "espaces:liste": Entree(P("espaces.voir"), portee="espaces.voir", liste=({},),
                            kwargs=lambda j, c: _espaces().preparer(j)),
    "espaces:nouveau": Entree(P("espaces.gerer")),
    "espaces:detail": Entree(P("espaces.voir"), "espace", portee="espaces.voir", kwargs=lambda j, c: _espaces().pk_de("espace")(j, c)),
    "espaces:modifier": Entree(P("espaces.gerer"), "espace", portee="espaces.gerer", kwargs=lambda j, c: _espaces().pk_de("espace")(j, c)),
    "espaces:planifier": Entree(P("espaces.animer"), "espace", portee="espaces.animer", kwargs=lambda j, c: _espaces().pk_de("espace")(j, c)),
    "espaces:succes_ajouter": Entree(P("espaces.animer"), "espace", post=True, ok=(302,), portee="espaces.animer",
                                     kwargs=lambda j, c: _espaces().pk_de("espace")(j, c)),
    "espaces:bilan": Entree(P("espaces.voir"), "espace", portee="espaces.voir", kwargs=lambda j, c: _espaces().pk_de("espace")(j, c),
                            liste=({}, {"annee": 2026, "format": "pdf"})),
    "espaces:reunion": Entree(P("espaces.voir"), "reunion", portee="espaces.voir", kwargs=lambda j, c: _espaces().pk_de("reunion")(j, c)),
    "espaces:reunion_pdf": Entree(P("espaces.voir"), "reunion", portee="espaces.voir", kwargs=lambda j, c: _espaces().pk_de("reunion")(j, c),
                                  liste=({},)),
    "espaces:ordre_du_jour": Entree(P("espaces.animer"), "reunion", post=True, ok=(302,), portee="espaces.animer",
                                    kwargs=lambda j, c: _espaces().pk_de("reunion_prevue")(j, c)),
    "espaces:element_ajouter": Entree(P("espaces.animer"), "reunion", post=True, ok=(302, 400),
                                      portee="espaces.animer", kwargs=lambda j, c: _espaces().pk_de("reunion_prevue")(j, c)),
    "espaces:compte_rendu": Entree(P("espaces.animer"), "reunion", portee="espaces.animer",
                                   kwargs=lambda j, c: _espaces().pk_de("reunion_prevue")(j, c)),
    "espaces:annuler": Entree(P("espaces.animer"), "reunion", post=True, ok=(302,), portee="espaces.animer",
                              kwargs=lambda j, c: _espaces().pk_de("reunion_prevue")(j, c)),
    "espaces:decision_ajouter": Entree(P("espaces.animer"), "reunion", post=True, ok=(302, 400),
                                       portee="espaces.animer", kwargs=lambda j, c: _espaces().pk_de("reunion")(j, c)),
    "espaces:element_retirer": Entree(P("espaces.animer"), "element_odj", post=True, ok=(302,),
                                      portee="espaces.animer", kwargs=lambda j, c: _espaces().pk_de("element_odj")(j, c)),
    "espaces:decision_action": Entree(P("espaces.animer"), "decision", post=True, ok=(302,), portee="espaces.animer",
                                      kwargs=lambda j, c: _espaces().pk_de("decision")(j, c)),
    # courriers depuis des modèles éditables (issue 16, livrable 7) : le courrier gardé d'une réclamation, créé
    # dans chaque cas ; modèles, en-tête et voies de recours par établissement (A2 : le même que A)
    "usagers:reclamation_courrier": Entree(
        P("reclamations.gerer"), "reclamation", liste=({},),
        kwargs=lambda j, c: {"pk": j.objets["reclamation", c].pk, "courrier_pk": _courrier_de(j, c).pk}),
    "usagers:courriers": Entree(P("courriers.modeles"), liste=({},)),
    "usagers:courrier_entete": Entree(P("courriers.modeles"), "pole",
                                      kwargs=lambda j, c: {"etablissement_pk": j.objets["pole", c].etablissement_id}),
    "usagers:courrier_modele": Entree(P("courriers.modeles"), "pole", kwargs=lambda j, c: {
        "etablissement_pk": j.objets["pole", c].etablissement_id, "type_lettre": "reponse"}),
    # étapes guidées d'une réclamation (issue 16) : un geste de la fiche, en POST seulement
    "usagers:reclamation_geste": Entree(P("reclamations.gerer"), "reclamation", post=True, ok=(200, 302),
                                        kwargs=lambda j, c: {"pk": j.objets["reclamation", c].pk, "geste": "accuse"}),
}


def _courrier_de(jeu, cible):
    """A letter kept on the target's complaint (inside the case's rolled-back transaction)."""
    from usagers.relations.models import CourrierGenere, ModeleLettre

    rec = jeu.objets["reclamation", cible]
    return CourrierGenere.objects.create(
        reclamation=rec, type="accuse", modele=ModeleLettre.objects.get(etablissement__isnull=True, type="accuse"),
        modele_version=1, objet=f"{rec.reference} objet", corps=f"{rec.auteur_nom}", pdf=_pdf_vide(),
        created_by=jeu.monde.users[R.RELATIONS_USAGERS])


def _impact():
    from usagers.impact.tests import matrice

    return matrice


def _espaces():
    from qualite.espaces.tests import matrice

    return matrice

def _gere_documents(u) -> bool:
    return P("documents.rediger", "documents.verifier", "documents.approuver", "documents.diffuser")(u)


def _document_de(jeu, cible, statut="diffusee"):
    """A document of the target's établissement and its version 1 (diffused to every role by default),
    marked like the other records (inside the case's rolled-back transaction)."""
    from django.core.files.base import ContentFile

    from qualite.documents.models import Document, VersionDocument
    from qualite.documents.services import indexer
    from qualite.pieces.stockage import STOCKAGE

    pole = jeu.objets["pole", cible]
    marque = {"A": "PROPRE-A-", "A2": FUITE_POLE, "B": FUITE_B}[cible]
    proprietaire = jeu.monde.user_b if cible == "B" else jeu.monde.users[R.GESTIONNAIRE_RISQUES]
    document = Document.objects.create(titre=f"{marque}DOCUMENT procedure", type="procedure", statut=statut,
                                       etablissement=pole.etablissement, service=pole.services.first(),
                                       proprietaire=proprietaire)
    nom = STOCKAGE.save(f"documents/matrice/{cible}", ContentFile(b"procedure"))
    version = VersionDocument.objects.create(
        document=document, numero=1, nom=f"{marque}fichier.txt", fichier=nom, taille=9, type_mime="text/plain",
        sha256="0" * 64, statut=statut, cibles_roles=list(Role.values), created_by=proprietaire,
        texte=f"{marque} procedure")
    indexer(document)
    return document, version


def _documents_partout(jeu) -> dict:
    for cible in ("A", "A2", "B"):
        _document_de(jeu, cible)
    return {}


def _certification():
    from certification.tests import matrice

    return matrice


def _piece_de_la_mesure(jeu, cible):
    """A file attached to the target's SSC measure (inside the case's rolled-back transaction)."""
    from qualite.pieces.tests.outils import piece_de_test

    return piece_de_test(jeu.objets["mesure", cible], nom=f"piece-{cible}.txt")


def _risques():
    from qualite.risques.tests import matrice

    return matrice


def _jeton_d_autrui(jeu):
    from qualite.identite.services import jeton_creer

    return jeton_creer(utilisateur=jeu.monde.user_b, nom="matrice")[0]


def _correspondance():
    """A group mapping, made inside the case's rolled-back transaction (the shared data set has none)."""
    from qualite.identite.models import CorrespondanceGroupe

    return CorrespondanceGroupe.objects.get_or_create(groupe="cn=matrice,dc=test", defaults={"roles": ["direction"]})[0]


def _noms_d_url(resolver=None, prefixe="") -> set[str]:
    noms = set()
    for motif in (resolver or get_resolver()).url_patterns:
        if isinstance(motif, URLResolver):
            if motif.app_name in ("admin", "api"):  # the REST API: qualite/api/tests/test_matrice_api.py
                continue
            espace = f"{prefixe}{motif.namespace}:" if motif.namespace else prefixe
            noms |= _noms_d_url(motif, espace)
        elif isinstance(motif, URLPattern) and motif.name:
            noms.add(prefixe + motif.name)
    return noms


def test_chaque_url_nommee_a_sa_ligne_dans_la_matrice():
    manquantes = _noms_d_url() - set(ENTREES)
    assert not manquantes, f"URL sans ligne dans la matrice des accès : {sorted(manquantes)}"
    assert not set(ENTREES) - _noms_d_url(), "ligne de matrice pour une URL qui n'existe plus"


# ---------------------------------------------------------------------------------------------------
# Lecture des réponses


def _contenu(response) -> str:
    if getattr(response, "streaming", False):
        brut = b"".join(response.streaming_content)
    else:
        brut = response.content
    type_ = response.get("Content-Type", "")
    if "pdf" in type_:
        from pypdf import PdfReader

        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(brut)).pages)
    if "spreadsheetml" in type_:
        from openpyxl import load_workbook

        classeur = load_workbook(io.BytesIO(brut), read_only=True)
        return " ".join(str(v) for feuille in classeur for ligne in feuille.iter_rows(values_only=True)
                        for v in ligne if v is not None)
    import html

    return html.unescape(brut.decode("utf-8-sig", errors="replace"))


def _client(jeu: Jeu, cle: str) -> Client:
    """A client on the session opened once for the module (a fresh cookie jar: a logout stays in its case)."""
    client = Client()
    if cle != "anonyme":
        client.cookies[settings.SESSION_COOKIE_NAME] = jeu.sessions[cle]
    return client


def _url(nom, entree: Entree, jeu: Jeu, cible="A") -> str:
    if entree.kwargs:
        return reverse(nom, kwargs=entree.kwargs(jeu, cible))
    if entree.objet:
        return reverse(nom, kwargs=_pk(entree.objet)(jeu, cible))
    return reverse(nom)


def _demander(client, nom, entree, jeu, cible="A", params=None):
    url = _url(nom, entree, jeu, cible)
    if entree.post:
        return client.post(url, {})
    return client.get(url, params or {})


def _pole_interdit(entree: Entree, user) -> bool:
    if entree.pole_interdit is not None:
        return entree.pole_interdit(user)
    if entree.portee:
        return access.perimetre(user, entree.portee).portee < Portee.ETABLISSEMENT
    return False


def _sans_marqueur(entree, user, contenu, ou) -> None:
    assert FUITE_B not in contenu, f"fuite de l'autre établissement ({ou})"
    if _pole_interdit(entree, user):
        assert FUITE_POLE not in contenu, f"fuite d'un autre pôle ({ou})"


def _a_un_objet(jeu, entree, cible) -> bool:
    return entree.objet is not None and (entree.objet, cible) in jeu.objets


# ---------------------------------------------------------------------------------------------------
# La matrice


CAS = [(nom, cle) for nom in ENTREES for cle in CLES_UTILISATEURS]


@pytest.mark.parametrize("nom, cle", CAS, ids=[f"{n}-{c}" for n, c in CAS])
def test_matrice(db, jeu, nom, cle):
    entree = ENTREES[nom]
    user = jeu.users[cle]
    client = _client(jeu, cle)
    response = _demander(client, nom, entree, jeu)
    statut = response.status_code
    assert statut != 500
    if entree.permis is None:  # pages publiques : ni erreur ni fuite, rien de plus ici
        assert statut in (200, 302, 404)
        return
    if user is None:
        assert statut == 302 and response["Location"].startswith(reverse("login")), statut
        return
    permis = entree.permis(user)
    if not permis:
        refus = entree.refus(user) if callable(entree.refus) else entree.refus
        assert statut == refus, f"attendu {refus} sans la permission, reçu {statut}"
        if statut == 404:
            assert "Page introuvable" in texte(response)
    else:
        assert statut in entree.ok, f"attendu {entree.ok} avec la permission, reçu {statut}"
        if statut == 200:  # la page elle-même, fiche comprise : rien d'ailleurs
            _sans_marqueur(entree, user, _contenu(response), "page")
            if "html" in response.get("Content-Type", ""):
                assert not francais.fautes(response.content.decode()), francais.fautes(response.content.decode())
    # Hors périmètre : l'autre établissement, l'autre pôle.
    for cible in ("B", "A2"):
        if not _a_un_objet(jeu, entree, cible):
            continue
        autre = _demander(client, nom, entree, jeu, cible)
        if not permis:
            assert autre.status_code in (403, 404), (cible, autre.status_code)
            continue
        dans_le_perimetre = cible == "A2" and not _pole_interdit(entree, user)
        attendu = entree.ok if dans_le_perimetre else (404,)
        assert autre.status_code in attendu, f"{cible} : attendu {attendu}, reçu {autre.status_code}"
        if autre.status_code == 404:
            assert "Page introuvable" in texte(autre)
    # Contenus : aucun marqueur d'ailleurs.
    if permis and entree.liste:
        for params in entree.liste:
            if not params:
                continue  # la page elle-même : déjà lue plus haut
            r = _demander(client, nom, entree, jeu, "A", params)
            assert r.status_code in entree.ok, (params, r.status_code)
            _sans_marqueur(entree, user, _contenu(r), params)


METHODES_INTERDITES = ("put", "patch", "delete")


@pytest.mark.parametrize("nom", list(ENTREES))
def test_mauvaise_methode(db, jeu, nom):
    entree = ENTREES[nom]
    url = _url(nom, entree, jeu)
    anonyme, admin = _client(jeu, "anonyme"), _client(jeu, R.ADMINISTRATEUR)
    for methode in METHODES_INTERDITES:
        r = getattr(anonyme, methode)(url)
        attendu = (405,) if entree.permis is None else (302, 403, 405)
        assert r.status_code in attendu, f"{methode.upper()} anonyme : {r.status_code}"
        assert getattr(admin, methode)(url).status_code == 405, f"{methode.upper()} administrateur"
    if entree.post and entree.permis is not None:
        assert admin.get(url).status_code == 405, "GET sur une vue en POST seulement"


@pytest.mark.parametrize("cle", [c for c in CLES_UTILISATEURS if c != "anonyme"])
def test_le_flux_ical_ne_montre_rien_d_ailleurs(db, jeu, cle):
    from qualite.echeances.tests.test_jeton_ical import creer_jeton

    user = jeu.users[cle]
    jeton = creer_jeton(_client(jeu, cle))
    flux = texte(Client().get(reverse("qualite:ical", args=[jeton])))
    assert "BEGIN:VCALENDAR" in flux
    assert FUITE_B not in flux
    if de_pole(user):
        assert FUITE_POLE not in flux
    if R.ADMINISTRATEUR in user.roles:
        assert "PROPRE-A-ECHEANCE" in flux and f"{FUITE_POLE}ECHEANCE" in flux, "le marqueur est bien lisible"


def test_les_marqueurs_sont_bien_plantes(db, jeu):
    """Le contrôle : un administrateur de A lit bien les marqueurs de A2 là où la matrice les cherche."""
    client = _client(jeu, R.ADMINISTRATEUR)
    for nom in ("evenements:liste", "qualite:programme", "certification:registres", "usagers:ssc_mesures"):
        contenu = _contenu(client.get(reverse(nom)))
        assert FUITE_POLE in contenu and FUITE_B not in contenu, nom
    assert "PROPRE-A-AUTEUR" in _contenu(client.get(reverse("usagers:reclamations")))



@pytest.mark.parametrize("cle, voit_l_autre_pole", [
    (R.DECLARANT, False), (R.CADRE_POLE, False), ("cadre+declarant", False),
    (R.GESTIONNAIRE_RISQUES, True), (R.DIRECTION, True), ("gestionnaire+cadre", True),
])
def test_la_fiche_d_un_evenement_liste_les_actions_de_son_pole(db, jeu, cle, voit_l_autre_pole):
    """Le déclarant et le cadre gardent la section « Actions correctives » de la fiche, sans les actions
    confiées à un autre pôle que leur programme ne couvre pas."""
    page = texte(_client(jeu, cle).get(reverse("evenements:detail", args=[jeu.objets["ev", "A"].pk])))
    assert "Actions correctives" in page and "PROPRE-A-ACTION-DE-L-EI-A" in page
    assert (f"{FUITE_POLE}ACTION-DE-L-EI-A" in page) is voit_l_autre_pole
