"""Two users editing the same record, a double click on a creation form: on real PostgreSQL, through the
pages. Nothing lost, nothing doubled."""

import threading
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from evenements.forms import QualificationForm
from evenements.models import EvenementIndesirable, TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.organisation.tests.factories import ActionFactory
from qualite.paqss.forms import ActionForm
from qualite.paqss.models import ActionAmelioration
from usagers.relations import services as relations
from usagers.relations.forms import DemandeDossierForm, ReclamationForm
from usagers.relations.models import DemandeDossier, Reclamation
from usagers.ssc.tests.conftest import admettre  # noqa: F401  (fixture of the isolation decision)

PARIS = ZoneInfo("Europe/Paris")


def donnees_postees(form) -> dict:
    """What the browser would send for this form as the page shows it."""
    data = {}
    for nom, champ in form.fields.items():
        valeur = form[nom].value()
        widget, nom = champ.widget, form.add_prefix(nom)
        if isinstance(widget, forms.CheckboxInput):
            if valeur:
                data[nom] = "on"
        elif isinstance(valeur, (list, tuple)):
            data[nom] = [str(v) for v in valeur]
        elif isinstance(widget, forms.NullBooleanSelect):
            data[nom] = widget.format_value(valeur)
        elif isinstance(widget, (forms.DateInput, forms.DateTimeInput)) and valeur:
            data[nom] = widget.format_value(valeur)
        elif valeur is not None:
            data[nom] = str(valeur)
    return data


def _deux_saisies(client_de, premier, second, url, formulaire, champ_a, valeur_a, champ_b, valeur_b):
    """Both load the page; the first saves one field, the second another field from the stale page."""
    form = formulaire()
    data_a, data_b = donnees_postees(form), donnees_postees(formulaire())
    data_a[form.add_prefix(champ_a)] = valeur_a
    data_b[form.add_prefix(champ_b)] = valeur_b
    assert client_de(premier).post(url, data_a).status_code == 302
    return client_de(second).post(url, data_b)


class TestDeuxUtilisateurs:
    def test_qualification_d_un_evenement(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a, gravite=2, vraisemblance=2)
        g1, g2 = monde.users["gestionnaire_risques"], monde.users["administrateur"]
        reponse = _deux_saisies(
            client_de, g1, g2, reverse("evenements:qualifier", args=[ev.pk]),
            lambda: QualificationForm(instance=EvenementIndesirable.objects.get(pk=ev.pk)),
            "resume_anonymise", "Chute au lever, sans gravité.", "gravite", "4")
        assert reponse.status_code == 200
        assert "Modifié entre-temps par" in texte(reponse) and "rien n'a été enregistré" in texte(reponse)
        assert "Chute au lever, sans gravité." in texte(reponse)  # the other user's value, beside
        assert "Gravité : « 2 — Significatif » (votre saisie : « 4 — Critique »)" in texte(reponse)  # labels, not codes
        ev.refresh_from_db()
        assert (ev.resume_anonymise, ev.gravite, ev.revision, ev.modifie_par) == (
            "Chute au lever, sans gravité.", 2, 2, g1)

    def test_une_action_du_paqss(self, monde, client_de):
        action = ActionFactory(service=monde.service_a, titre="Former les équipes")
        avancement = action.avancement
        g1, g2 = monde.users["gestionnaire_risques"], monde.users["administrateur"]
        reponse = _deux_saisies(
            client_de, g1, g2, reverse("qualite:action_modifier", args=[action.pk]),
            lambda: ActionForm(instance=ActionAmelioration.objects.get(pk=action.pk)),
            "titre", "Former les équipes de nuit", "avancement", "50")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        action.refresh_from_db()
        assert (action.titre, action.avancement) == ("Former les équipes de nuit", avancement)

    def test_une_reclamation(self, monde, client_de):
        rel = monde.users["relations_usagers"]
        rec = relations.reclamation_enregistrer(par=rel, services=[monde.service_a], donnees={
            "etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
            "auteur_nom": "Robert Lenoir", "lien_patient": "lui-même", "objet": "Attente aux urgences.",
            "recue_le": date(2026, 1, 31)})
        reponse = _deux_saisies(
            client_de, rel, monde.users["administrateur"], reverse("usagers:reclamation", args=[rec.pk]),
            lambda: ReclamationForm(instance=Reclamation.objects.get(pk=rec.pk), user=rel),
            "objet", "Attente de six heures aux urgences.", "auteur_nom", "Robert LENOIR")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        rec.refresh_from_db()
        assert (rec.objet, rec.auteur_nom) == ("Attente de six heures aux urgences.", "Robert Lenoir")
        assert list(rec.services.all()) == [monde.service_a]

    def test_une_demande_de_dossier(self, monde, client_de):
        rel = monde.users["relations_usagers"]
        d = relations.demande_enregistrer(par=rel, donnees={
            "etablissement": monde.etab_a, "patient_nom": "Jeanne Roux", "patient_naissance": date(1950, 1, 1),
            "demandeur_type": "patient", "demandeur_nom": "Jeanne Roux",
            "recue_le": datetime(2026, 1, 30, 10, tzinfo=PARIS), "informations_du": date(2025, 6, 1),
            "identite_verifiee": True, "qualite_verifiee": True})
        reponse = _deux_saisies(
            client_de, rel, monde.users["administrateur"], reverse("usagers:dossier", args=[d.pk]),
            lambda: DemandeDossierForm(instance=DemandeDossier.objects.get(pk=d.pk), user=rel),
            "demandeur_nom", "Jeanne ROUX", "patient_nom", "Jeanne Roux-Martin")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        d.refresh_from_db()
        assert (d.demandeur_nom, d.patient_nom) == ("Jeanne ROUX", "Jeanne Roux")

    def test_apres_le_conflit_la_saisie_renvoyee_sciemment_est_enregistree(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a, gravite=2, vraisemblance=2)
        url = reverse("evenements:qualifier", args=[ev.pk])
        reponse = _deux_saisies(
            client_de, monde.users["gestionnaire_risques"], monde.users["administrateur"], url,
            lambda: QualificationForm(instance=EvenementIndesirable.objects.get(pk=ev.pk)),
            "resume_anonymise", "Résumé A", "gravite", "4")
        form = reponse.context["qualification"]
        assert form.data["revision"] == 2  # the page now carries the current revision
        assert client_de(monde.users["administrateur"]).post(url, form.data).status_code == 302
        ev.refresh_from_db()
        assert ev.gravite == 4 and ev.revision == 3


def _declaration(service, cle) -> dict:
    return {"survenu_le": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "service": service.pk, "type": TypeEvenement.objects.first().pk, "description": "Patient tombé",
            "personnes": ["patient"], "gravite_estimee": "2", "cle_creation": str(cle)}


class TestDoubleEnvoi:
    def test_une_declaration_renvoyee_redirige_vers_la_premiere(self, monde, client_de):
        client = client_de(monde.users["declarant"])
        cle = uuid.uuid4()
        assert client.post(reverse("evenements:declarer"), _declaration(monde.service_a, cle)).status_code == 302
        assert client.post(reverse("evenements:declarer"), _declaration(monde.service_a, cle)).status_code == 302
        assert EvenementIndesirable.objects.count() == 1
        client.post(reverse("evenements:declarer"), _declaration(monde.service_a, uuid.uuid4()))
        assert EvenementIndesirable.objects.count() == 2  # a new page, a new declaration

    def test_une_reclamation_renvoyee_n_est_enregistree_qu_une_fois(self, monde, client_de):
        rel = monde.users["relations_usagers"]
        form = ReclamationForm(user=rel)
        data = donnees_postees(form) | {
            "etablissement": str(monde.etab_a.pk), "nature": "reclamation", "canal": "courrier",
            "categories": ["soins"], "services": [str(monde.service_a.pk)], "auteur_nom": "Robert Lenoir", "lien_patient": "lui-même",
            "objet": "Attente aux urgences.", "recue_le": "2026-01-31"}
        client = client_de(rel)
        premiere = client.post(reverse("usagers:reclamation_nouvelle"), data)
        seconde = client.post(reverse("usagers:reclamation_nouvelle"), data)
        assert premiere.status_code == seconde.status_code == 302
        assert premiere.url == seconde.url
        assert Reclamation.objects.count() == 1


class TestDoubleEnvoiDossier:
    def test_une_demande_de_dossier_renvoyee_n_est_creee_et_tracee_qu_une_fois(self, monde, client_de):
        from qualite.organisation.models import AuditEntry

        rel = monde.users["relations_usagers"]
        data = donnees_postees(DemandeDossierForm(user=rel)) | {
            "etablissement": str(monde.etab_a.pk), "patient_nom": "Jeanne Roux", "patient_naissance": "1950-01-01",
            "demandeur_type": "patient", "demandeur_nom": "Jeanne Roux", "recue_le": "2026-01-30T10:00",
            "informations_du": "2025-06-01", "identite_verifiee": "on", "qualite_verifiee": "on"}
        client = client_de(rel)
        premiere = client.post(reverse("usagers:dossier_nouveau"), data)
        seconde = client.post(reverse("usagers:dossier_nouveau"), data)
        assert premiere.status_code == seconde.status_code == 302 and premiere.url == seconde.url
        assert DemandeDossier.objects.count() == 1
        assert AuditEntry.objects.filter(action="creation", object_id=str(DemandeDossier.objects.get().pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_un_double_clic_simultane_ne_depose_qu_une_declaration(monde):
    """Two POSTs of the same page at the same instant, on two connections: one event, one reference."""
    cle = uuid.uuid4()
    depart = threading.Barrier(2)
    statuts = []

    def envoyer():
        client = Client()
        client.force_login(monde.users["declarant"])
        depart.wait()
        try:
            statuts.append(client.post(reverse("evenements:declarer"), _declaration(monde.service_a, cle)).status_code)
        finally:
            connection.close()

    fils = [threading.Thread(target=envoyer) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(60)
    assert statuts == [302, 302]
    assert EvenementIndesirable.objects.count() == 1


class TestDeuxUtilisateursAutresFiches:
    def test_la_declaration_a_l_ars(self, monde, client_de):
        from evenements.forms import DeclarationARSForm
        from evenements.models import DeclarationARS

        ev = EvenementFactory(service=monde.service_a)
        d = DeclarationARS.objects.create(evenement=ev, nature="Chute", circonstances="Au lever")
        reponse = _deux_saisies(
            client_de, monde.users["gestionnaire_risques"], monde.users["administrateur"],
            reverse("evenements:ars", args=[ev.pk]),
            lambda: DeclarationARSForm(instance=DeclarationARS.objects.get(pk=d.pk)),
            "nature", "Chute avec fracture", "circonstances", "La nuit")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        d.refresh_from_db()
        assert (d.nature, d.circonstances) == ("Chute avec fracture", "Au lever")

    def test_une_analyse_approfondie(self, monde, client_de):
        from evenements.forms import AnalyseForm
        from evenements.models import AnalyseApprofondie

        ev = EvenementFactory(service=monde.service_a)
        a = AnalyseApprofondie.objects.create(evenement=ev, date=date(2026, 11, 2), participants="IDE",
                                              chronologie="Chute à 6 h")
        reponse = _deux_saisies(
            client_de, monde.users["gestionnaire_risques"], monde.users["administrateur"],
            reverse("evenements:analyse_modifier", args=[ev.pk, a.pk]),
            lambda: AnalyseForm(instance=AnalyseApprofondie.objects.get(pk=a.pk)),
            "conclusions", "Barrière manquante", "participants", "IDE, cadre")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        a.refresh_from_db()
        assert (a.conclusions, a.participants) == ("Barrière manquante", "IDE")

    def test_un_membre_de_la_cdu(self, monde, client_de):
        from usagers.relations.forms import MembreForm
        from usagers.relations.models import MembreCDU

        rel = monde.users["relations_usagers"]
        m = relations.membre_enregistrer(par=rel, donnees={
            "etablissement": monde.etab_a, "nom": "Mme Roux", "role": "ru_titulaire", "association": "UDAF",
            "debut_mandat": date(2025, 1, 1), "fin_mandat": date(2028, 1, 1), "actif": True})
        reponse = _deux_saisies(
            client_de, rel, monde.users["administrateur"], reverse("usagers:membre", args=[m.pk]),
            lambda: MembreForm(instance=MembreCDU.objects.get(pk=m.pk), user=rel),
            "association", "France Assos Santé", "nom", "Mme Roux-Martin")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        m.refresh_from_db()
        assert (m.association, m.nom) == ("France Assos Santé", "Mme Roux")

    def test_une_seance_de_la_cdu(self, monde, client_de):
        from usagers.relations.forms import SeanceForm
        from usagers.relations.models import SeanceCDU

        rel = monde.users["relations_usagers"]
        s = relations.seance_enregistrer(par=rel, donnees={"etablissement": monde.etab_a, "date": date(2026, 3, 2),
                                                           "statut": SeanceCDU.Statut.PLANIFIEE})
        reponse = _deux_saisies(
            client_de, rel, monde.users["administrateur"], reverse("usagers:seance", args=[s.pk]),
            lambda: SeanceForm(instance=SeanceCDU.objects.get(pk=s.pk), user=rel),
            "ordre_du_jour", "Réclamations du trimestre", "compte_rendu", "Séance tenue")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        s.refresh_from_db()
        assert (s.ordre_du_jour, s.compte_rendu) == ("Réclamations du trimestre", "")

    def test_une_decision_d_isolement(self, monde, client_de, request):
        from usagers.ssc import services as ssc
        from usagers.ssc.forms import IsolementForm
        from usagers.ssc.models import MesureIsolement

        m = request.getfixturevalue("admettre")("sdt")
        debut = timezone.now() - timedelta(hours=5)
        d = ssc.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=MesureIsolement(
            type="isolement", psychiatre="Dr Un", debut=debut, fin=debut + timedelta(hours=4), surveillance="IDE",
            motif="Agitation"))
        reponse = _deux_saisies(
            client_de, monde.users["psychiatre"], monde.users["bureau_admissions"],
            reverse("usagers:ssc_isolement_modifier", args=[m.pk, d.pk]),
            lambda: IsolementForm(instance=MesureIsolement.objects.get(pk=d.pk)),
            "motif", "Agitation, risque de fugue", "surveillance", "IDE toutes les heures")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        d.refresh_from_db()
        assert (d.motif, d.surveillance) == ("Agitation, risque de fugue", "IDE")

    def test_une_campagne_de_dialogue(self, monde, client_de):
        from usagers.relations.forms import CampagneForm
        from usagers.relations.models import CampagneDialogue

        rel = monde.users["relations_usagers"]
        c = relations.campagne_enregistrer(par=rel, campagne=CampagneDialogue(
            etablissement=monde.etab_a, titre="Campagne 2026", debut=date(2026, 3, 1)))
        reponse = _deux_saisies(
            client_de, rel, monde.users["administrateur"], reverse("usagers:campagne", args=[c.pk]),
            lambda: CampagneForm(instance=CampagneDialogue.objects.get(pk=c.pk), user=rel),
            "titre", "Campagne de printemps 2026", "synthese", "Trois axes retenus")
        assert reponse.status_code == 200 and "Modifié entre-temps par" in texte(reponse)
        c.refresh_from_db()
        assert (c.titre, c.synthese) == ("Campagne de printemps 2026", "")
