"""Complaints and mediation, medical-record requests, CDU and user representatives."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from qualite.echeances import delais
from qualite.echeances import moteur as echeances
from qualite.echeances.moteur import EcheancePrevue, ajouter_mois, echeances_de, fin_de_jour
from qualite.organisation.models import Compteur
from qualite.outils.dates import Ordre, dans_le_futur, en_utc, ordre_verifier
from qualite.outils.revisions import ConflitDeRevision, appliquer, verrouiller
from qualite.paqss.models import ActionAmelioration
from qualite.paqss.services import action_creer
from usagers.relations.models import (
    DEMANDEURS_DECES,
    CampagneDialogue,
    CourrierGenere,
    DemandeDossier,
    EnTeteCourrier,
    EntretienDialogue,
    MembreCDU,
    ModeleLettre,
    NatureReclamation,
    Reclamation,
    RecommandationCDU,
    SeanceCDU,
    TransitionReclamation,
    TypeMediation,
    formule_appel,
)
from usagers.relations.models import GesteReclamation as Geste


def _debut_jour(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=timezone.get_current_timezone())


# ---- complaints ------------------------------------------------------------------------------

# Each dated step and the steps it cannot precede (CSP R1112-91 to R1112-94): the one list the screen and the
# import check, through reclamation_valider(). « seance_cdu.date » is the date of the CDU session examining it.
ORDRE_DATES = [
    Ordre("accuse_le", "recue_le", "L'accusé de réception ne peut précéder la réception"),
    Ordre("premiere_reponse_le", "recue_le", "La première réponse ne peut précéder la réception"),
    Ordre("mediateur_saisi_le", "recue_le", "Le médiateur ne peut être saisi avant la réception"),
    Ordre("rencontre_le", "mediateur_saisi_le", "La rencontre ne peut précéder la saisine du médiateur"),
    Ordre("rapport_le", "rencontre_le", "Le rapport ne peut précéder la rencontre"),
    Ordre("rapport_le", "mediateur_saisi_le", "Le rapport du médiateur ne peut précéder sa saisine"),
    Ordre("seance_cdu.date", "recue_le", "La séance de la CDU ne peut précéder la réception de la réclamation"),
    Ordre("seance_cdu.date", "rapport_le", "La séance de la CDU ne peut précéder le rapport du médiateur"),
    Ordre("reponse_finale_le", "recue_le", "La réponse finale ne peut précéder la réception"),
    Ordre("reponse_finale_le", "seance_cdu.date", "La réponse finale ne peut précéder la séance de la CDU (R1112-94)"),
]
DATES_RECLAMATION = ("recue_le", "accuse_le", "premiere_reponse_le", "mediateur_saisi_le", "rencontre_le", "rapport_le",
                     "reponse_finale_le")


def reclamation_valider(rec: Reclamation) -> None:
    err: dict[str, str] = {}
    for champ in DATES_RECLAMATION:
        v = getattr(rec, champ)
        if dans_le_futur(v):
            err[champ] = "Date dans le futur."
    if rec.seance_cdu_id and rec.seance_cdu.etablissement_id != rec.etablissement_id:
        err["seance_cdu"] = "Séance d'un autre établissement."
    ordre_verifier(rec, ORDRE_DATES, err)
    if rec.rencontre_le and not rec.mediateur_saisi_le:
        err["mediateur_saisi_le"] = "Indiquez la date de saisine du médiateur."
    if rec.mediateur_saisi_le and not rec.mediation:
        err["mediation"] = "Indiquez quel médiateur est saisi."
    if rec.rapport_le and not rec.rencontre_le and not rec.mediation_refusee:
        err["rencontre_le"] = "Indiquez la date de la rencontre (ou que le plaignant l'a refusée)."
    if rec.resume_valide and not rec.resume_anonymise.strip():
        err["resume_anonymise"] = "Rédigez le résumé avant de le marquer comme anonyme."
    if err:
        raise ValidationError(err)


REGLES_RECLAMATION = ["rec-accuse", "rec-premiere-reponse", "rec-rencontre-mediateur", "rec-rapport-mediateur",
                      "rec-reponse-finale"]


def reclamation_echeances(rec: Reclamation, dl: dict | None = None) -> list[EcheancePrevue]:
    dl = dl or delais.charger(REGLES_RECLAMATION)

    def jours(code):
        return timedelta(days=dl[code].jours)

    prevues = [EcheancePrevue("rec-accuse", fin_de_jour(rec.recue_le + jours("rec-accuse")), "",
                              f"réception le {rec.recue_le:%d/%m/%Y}", _debut_jour(rec.accuse_le) if rec.accuse_le else None)]
    if rec.nature != NatureReclamation.ELOGE:
        prevues.append(EcheancePrevue(
            "rec-premiere-reponse", fin_de_jour(rec.recue_le + jours("rec-premiere-reponse")), "",
            f"réception le {rec.recue_le:%d/%m/%Y}", _debut_jour(rec.premiere_reponse_le) if rec.premiere_reponse_le else None))
    if rec.mediateur_saisi_le and not rec.mediation_refusee:
        prevues.append(EcheancePrevue("rec-rencontre-mediateur", fin_de_jour(rec.mediateur_saisi_le + jours("rec-rencontre-mediateur")), "",
                                      f"saisine du médiateur le {rec.mediateur_saisi_le:%d/%m/%Y}",
                                      _debut_jour(rec.rencontre_le) if rec.rencontre_le else None))
    if rec.rencontre_le:
        prevues.append(EcheancePrevue("rec-rapport-mediateur", fin_de_jour(rec.rencontre_le + jours("rec-rapport-mediateur")), "",
                                      f"rencontre le {rec.rencontre_le:%d/%m/%Y}",
                                      _debut_jour(rec.rapport_le) if rec.rapport_le else None))
    if rec.seance_cdu_id:
        prevues.append(EcheancePrevue("rec-reponse-finale", fin_de_jour(rec.seance_cdu.date + jours("rec-reponse-finale")), "",
                                      f"séance de la CDU du {rec.seance_cdu.date:%d/%m/%Y}",
                                      _debut_jour(rec.reponse_finale_le) if rec.reponse_finale_le else None))
    return prevues


def _synchroniser_reclamation(rec: Reclamation, *, correction: bool = True) -> None:
    echeances.synchroniser(objet=rec, prevues=[] if rec.archivee else reclamation_echeances(rec), reference=rec.reference,
                           etablissement_id=rec.etablissement_id, url=reverse("usagers:reclamation", args=[rec.pk]),
                           correction=correction)


@transaction.atomic
def reclamation_enregistrer(*, par, donnees: dict, services, reclamation: Reclamation | None = None,
                            revision: int | None = None) -> Reclamation:
    """Create or update a complaint (for an update, `donnees` holds the changed fields and `services` is None
    when unchanged); its legal path becomes deadlines."""
    if reclamation is None:
        rec = Reclamation(created_by=par)
        appliquer(rec, donnees, par)
    else:
        rec = verrouiller(Reclamation, reclamation.pk, revision, donnees)
        appliquer(rec, donnees, par)
    reclamation_valider(rec)
    if not rec.reference:
        rec.reference = Compteur.prochaine_reference("REC", rec.recue_le.year)
    rec.save()
    if services is not None:
        rec.services.set(services)
    _synchroniser_reclamation(rec)
    return rec


@transaction.atomic
def reclamation_ouvrir_evenement(*, reclamation: Reclamation, par, type_evenement, service):
    """A complaint that reveals an adverse event: declare it, linked both ways."""
    from evenements.services import evenement_declarer

    ev = evenement_declarer(declarant=par, service=service, donnees={
        "survenu_le": _debut_jour(reclamation.recue_le), "type": type_evenement,
        "description": f"Évènement signalé par la réclamation {reclamation.reference}.",
        "personnes": ["patient"], "gravite_estimee": 2,
    })
    reclamation.evenement = ev
    reclamation.save(update_fields=["evenement", "updated_at"])
    return ev


def reclamation_ouvrir_action(*, reclamation: Reclamation, par, titre: str, echeance=None) -> ActionAmelioration:
    return action_creer(titre=titre, origine=ActionAmelioration.Origine.RECLAMATION, source=reclamation,
                        etablissement_id=reclamation.etablissement_id, par=par, echeance=echeance)



class GesteRefuse(Exception):
    """A gesture the complaint's state does not allow now; `deja_fait` when it is a replay of one just done."""

    def __init__(self, message: str, *, deja_fait: bool = False):
        super().__init__(message)
        self.message, self.deja_fait = message, deja_fait


def geste_refuse(rec: Reclamation, geste: str) -> GesteRefuse | None:
    """Why this gesture cannot be done now (None when it is one of the next legal moves)."""
    if geste not in Geste.values:
        return GesteRefuse("Ce geste n'existe pas.")
    if geste in rec.prochains_gestes():
        return None
    libelle = Geste(geste).label
    if rec.geste_fait(geste):
        return GesteRefuse(f"« {libelle} » est déjà enregistré : rien n'a été ajouté.", deja_fait=True)
    return GesteRefuse(f"« {libelle} » n'est pas possible à l'étape « {rec.get_statut_display()} » : "
                       "seuls les gestes proposés sur la fiche le sont.")


@transaction.atomic
def reclamation_faire_geste(*, reclamation: Reclamation, geste: str, par, donnees: dict) -> TransitionReclamation:
    """Do one step of the complaint's path: write what the gesture records, move the state on, recompute the
    deadlines and keep the move (who, when) in the timeline. The row is locked first, so a double click waits
    for the first one and is then refused: one gesture, one move."""
    rec = Reclamation.objects.select_for_update(of=("self",)).select_related("seance_cdu").get(pk=reclamation.pk)
    if (refus := geste_refuse(rec, geste)) is not None:
        raise refus
    libelle = Geste(geste).label
    de = rec.statut
    attendu = rec.statut_apres(geste)
    modifications = {**donnees, "mediation_refusee": True} if geste == Geste.REFUS else dict(donnees)
    appliquer(rec, modifications, par)
    reclamation_valider(rec)
    if rec.statut != attendu:  # the model's path and the recorded dates must agree; never a step backwards
        raise GesteRefuse(f"« {libelle} » ne mène pas à l'étape attendue : rien n'a été enregistré.")
    rec.save()
    _synchroniser_reclamation(rec)
    return TransitionReclamation.objects.create(reclamation=rec, geste=geste, de=de, vers=rec.statut, par=par)

# ---- letters ---------------------------------------------------------------------------------------


def entete_de(etablissement) -> EnTeteCourrier:
    """The établissement's letterhead; until the relations staff fill it in, an unsaved one with its name and a
    generic signatory, so that a letter can always be previewed."""
    return EnTeteCourrier.objects.filter(etablissement=etablissement).first() or EnTeteCourrier(
        etablissement=etablissement, nom=etablissement.nom, signataire_nom="La direction",
        signataire_fonction="Direction des relations avec les usagers")


def modele_de(etablissement_id: int, type_: str) -> ModeleLettre:
    """The établissement's own template of this type, else the common one."""
    modeles = ModeleLettre.objects.filter(Q(etablissement_id=etablissement_id) | Q(etablissement__isnull=True), type=type_)
    return modeles.order_by(F("etablissement_id").asc(nulls_last=True)).first() or ModeleLettre.objects.get(type=type_)


def lettre_rendre(reclamation: Reclamation, type_: str) -> dict:
    """The letter's subject and body as plain text, placeholders filled (escaped where shown), with the template,
    its version, the letterhead and the salutation."""
    modele = modele_de(reclamation.etablissement_id, type_)
    entete = entete_de(reclamation.etablissement)
    mediateurs = dict(TypeMediation.choices)
    formule = formule_appel(reclamation.auteur_civilite)
    lettre = modele.remplir({
        "formule_appel": formule, "auteur": reclamation.auteur_nom, "reference": reclamation.reference,
        "recue_le": f"{reclamation.recue_le:%d/%m/%Y}", "etablissement": entete.nom,
        "mediateur": mediateurs.get(reclamation.mediation, "médiateur").lower() if reclamation.mediation else "médiateur",
        "rencontre_le": f"{reclamation.rencontre_le:%d/%m/%Y}" if reclamation.rencontre_le else "(date à fixer)",
        "seance_cdu": f"{reclamation.seance_cdu.date:%d/%m/%Y}" if reclamation.seance_cdu_id else "(à venir)",
        "avis_cdu": reclamation.avis_cdu or "(avis à compléter)", "aujourdhui": f"{timezone.localdate():%d/%m/%Y}",
        "signataire": entete.signataire_nom, "fonction_signataire": entete.signataire_fonction,
    })
    return {**lettre, "formule_appel": formule, "modele": modele, "version": modele.revision, "entete": entete,
            "type": type_, "type_libelle": modele.get_type_display()}


def lettre_contexte(reclamation: Reclamation, lettre: dict) -> dict:
    """What the preview page and the PDF template show: the same context, so the preview is the letter."""
    return {"rec": reclamation, "lettre": lettre, "entete": lettre["entete"], "aujourdhui": timezone.localdate(),
            "voies_de_recours": lettre["modele"].voies_de_recours}


@transaction.atomic
def courrier_generer(*, reclamation: Reclamation, type_: str, par) -> CourrierGenere:
    """Render the letter to PDF and keep it, with the template version it used."""
    from qualite.outils.pdf import render_pdf

    lettre = lettre_rendre(reclamation, type_)
    pdf = render_pdf("usagers/relations/pdf/lettre.html", lettre_contexte(reclamation, lettre))
    return CourrierGenere.objects.create(
        reclamation=reclamation, type=type_, modele=lettre["modele"], modele_version=lettre["version"],
        objet=lettre["objet"][:255], corps=lettre["corps"], pdf=pdf, created_by=par)


@transaction.atomic
def modele_lettre_enregistrer(*, etablissement, type_: str, donnees: dict, par, revision: int | None,
                              depuis: int | None = None) -> ModeleLettre:
    """Edit an établissement's template; the first edit makes its own copy of the common one (version 1 then,
    the next edits +1). `depuis` is the template the form was loaded from: a stale revision, or a form loaded on
    the common template while another user made the établissement's copy, is refused (two editors)."""
    type(etablissement).objects.select_for_update().get(pk=etablissement.pk)
    propre = ModeleLettre.objects.filter(etablissement=etablissement, type=type_).first()
    if propre is not None and depuis is not None and depuis != propre.pk:
        raise ConflitDeRevision(propre, donnees)
    if propre is None:
        commun = ModeleLettre.objects.select_for_update().get(etablissement__isnull=True, type=type_)
        if revision is not None and commun.revision != revision:
            raise ConflitDeRevision(commun, donnees)
        modele = ModeleLettre(etablissement=etablissement, type=type_, objet=commun.objet, corps=commun.corps,
                              voies_de_recours=commun.voies_de_recours, modifie_par=par)
        for champ, valeur in donnees.items():
            setattr(modele, champ, valeur)
    else:
        modele = verrouiller(ModeleLettre, propre.pk, revision, donnees)
        appliquer(modele, donnees, par)
    modele.full_clean(exclude=["etablissement", "type"])
    modele.save()
    return modele


@transaction.atomic
def entete_enregistrer(*, etablissement, donnees: dict, par, revision: int | None) -> EnTeteCourrier:
    """Fill in or edit an établissement's letterhead, signatory and appeal routes; a stale revision is refused."""
    type(etablissement).objects.select_for_update().get(pk=etablissement.pk)  # two first fillings: one after the other
    existant = EnTeteCourrier.objects.filter(etablissement=etablissement).first()
    if existant is not None and revision is None:  # the page was loaded before another user filled it in
        raise ConflitDeRevision(existant, donnees)
    if existant is None:
        entete = entete_de(etablissement)
        entete.created_by = par
        for champ, valeur in donnees.items():
            setattr(entete, champ, valeur)
    else:
        entete = verrouiller(EnTeteCourrier, existant.pk, revision, donnees)
        appliquer(entete, donnees, par)
    entete.full_clean(exclude=["etablissement"])
    entete.save()
    return entete


# ---- medical-record requests -------------------------------------------------------------------

DELAI_REFLEXION = timedelta(hours=48)

# The steps of a request and those they cannot precede (L1111-7); the 48 h wait is checked apart.
ORDRE_DEMANDE = [
    Ordre("complete_le", "recue_le", "La demande ne peut être complète avant d'avoir été reçue"),
    Ordre("communiquee_le", "recue_le", "La communication ne peut précéder la réception de la demande"),
]
ORDRE_DEPUIS_COMPLETUDE = [
    Ordre("communiquee_le", "complete_le", "Le délai part de la complétude : la communication ne peut la précéder"),
]


def communication_au_plus_tot(depart: datetime) -> datetime:
    """L1111-7: not before 48 hours of elapsed time (in UTC: a spring-change night does not shorten it)."""
    return en_utc(depart) + DELAI_REFLEXION


def demande_valider(d: DemandeDossier) -> None:
    err: dict[str, str] = {}
    if d.demandeur_type in DEMANDEURS_DECES:
        if not d.patient_decede:
            err["demandeur_type"] = "Un ayant droit, concubin ou partenaire de PACS ne demande que le dossier d'un patient décédé."
        elif not d.motif:
            err["motif"] = "Le motif de la demande est obligatoire (causes de la mort, mémoire du défunt, droits)."
    for champ in ("recue_le", "complete_le", "communiquee_le"):
        v = getattr(d, champ)
        if dans_le_futur(v):
            err[champ] = "Date dans le futur."
    ordre_verifier(d, ORDRE_DEMANDE + (ORDRE_DEPUIS_COMPLETUDE if d.point_depart == "completude" else []), err)
    if d.point_depart == "completude" and not d.complete_le and d.communiquee_le:
        err["complete_le"] = "Le délai est compté à partir de la complétude : indiquez sa date."
    if d.communiquee_le and "communiquee_le" not in err:
        if not d.refusee and not (d.identite_verifiee and d.qualite_verifiee):
            err["communiquee_le"] = "Vérifiez l'identité et la qualité du demandeur avant toute communication."
        elif not d.refusee and d.depart and en_utc(d.communiquee_le) < communication_au_plus_tot(d.depart):
            err["communiquee_le"] = "La communication ne peut intervenir avant 48 heures (L1111-7)."
        if not d.refusee and not d.mode:
            err["mode"] = "Indiquez le mode de communication."
    if d.refusee and not d.motif_refus.strip():
        err["motif_refus"] = "Indiquez le motif du refus."
    if d.frais is not None and d.frais < 0:
        err["frais"] = "Montant négatif."
    if err:
        raise ValidationError(err)


def demande_echeance(d: DemandeDossier, dl: dict | None = None) -> EcheancePrevue:
    dl = dl or delais.charger(["dossier-communication-2m", "dossier-communication-8j"])
    depart = timezone.localtime(d.depart)
    quoi = "complétude" if d.point_depart == "completude" and d.complete_le else "réception"
    if d.plus_de_5_ans:
        return EcheancePrevue("dossier-communication-2m", fin_de_jour(ajouter_mois(depart.date(), dl["dossier-communication-2m"].mois)), "",
                              f"{quoi} le {depart:%d/%m/%Y} (informations de plus de 5 ans)", d.communiquee_le)
    return EcheancePrevue("dossier-communication-8j", fin_de_jour(depart.date() + timedelta(days=dl["dossier-communication-8j"].jours)), "",
                          f"{quoi} le {depart:%d/%m/%Y}", d.communiquee_le)


@transaction.atomic
def demande_enregistrer(*, par, donnees: dict, demande: DemandeDossier | None = None,
                        revision: int | None = None) -> DemandeDossier:
    d = DemandeDossier(created_by=par) if demande is None else verrouiller(DemandeDossier, demande.pk, revision, donnees)
    appliquer(d, donnees, par)
    demande_valider(d)
    if not d.reference:
        d.reference = Compteur.prochaine_reference("DMD", timezone.localtime(d.recue_le).year)
    d.save()
    _synchroniser_demande(d)
    return d


def _synchroniser_demande(d: DemandeDossier, *, correction: bool = True) -> None:
    echeances.synchroniser(objet=d, prevues=[demande_echeance(d)], reference=d.reference,
                           etablissement_id=d.etablissement_id, url=reverse("usagers:dossier", args=[d.pk]),
                           correction=correction)


# ---- CDU -------------------------------------------------------------------------------------------

def _synchroniser_mandat(m: MembreCDU, *, correction: bool = True) -> None:
    remplace = MembreCDU.objects.filter(etablissement_id=m.etablissement_id, role=m.role,
                                        debut_mandat__gt=m.debut_mandat).order_by("created_at").first()
    satisfaite = remplace.created_at if remplace else (m.updated_at if not m.actif else None)
    prevue = EcheancePrevue("cdu-mandat", fin_de_jour(ajouter_mois(m.fin_mandat, delais.charger(["cdu-mandat"])["cdu-mandat"].mois)), "",
                            f"fin du mandat le {m.fin_mandat:%d/%m/%Y}", satisfaite)
    echeances.synchroniser(objet=m, prevues=[prevue], reference=f"CDU — {m.get_role_display()}",
                           etablissement_id=m.etablissement_id, url=reverse("usagers:cdu"), correction=correction)


@transaction.atomic
def membre_enregistrer(*, par, donnees: dict, membre: MembreCDU | None = None,
                       revision: int | None = None) -> MembreCDU:
    m = MembreCDU(created_by=par) if membre is None else verrouiller(MembreCDU, membre.pk, revision, donnees)
    appliquer(m, donnees, par)
    if m.fin_mandat and m.debut_mandat and m.fin_mandat <= m.debut_mandat:
        raise ValidationError({"fin_mandat": "La fin du mandat doit suivre son début."})
    m.save()
    for membre_role in MembreCDU.objects.filter(etablissement_id=m.etablissement_id, role=m.role):
        _synchroniser_mandat(membre_role)
    return m


def recommandation_ouvrir_action(*, recommandation: RecommandationCDU, par, echeance=None) -> ActionAmelioration:
    """A CDU recommendation becomes a PAQSS action, linked both ways."""
    with transaction.atomic():
        rec = RecommandationCDU.objects.select_for_update().select_related("seance").get(pk=recommandation.pk)
        if rec.action_id:
            return rec.action
        action = action_creer(titre=rec.texte[:255], description=rec.texte, origine=ActionAmelioration.Origine.CDU,
                              source=rec, etablissement_id=rec.seance.etablissement_id, par=par, echeance=echeance)
        rec.action = action
        rec.save(update_fields=["action", "updated_at"])
        return action


@transaction.atomic
def seance_enregistrer(*, par, donnees: dict, presents=None, seance: SeanceCDU | None = None,
                       revision: int | None = None) -> SeanceCDU:
    """Create or update a CDU session: for an update, only the changed fields (`presents` None: unchanged)."""
    s = SeanceCDU(created_by=par) if seance is None else verrouiller(SeanceCDU, seance.pk, revision, donnees)
    appliquer(s, donnees, par)
    s.full_clean(exclude=["presents"])
    if s.pk and "date" in donnees:  # the complaints it examines keep their order of steps
        for rec in s.reclamations.select_related("seance_cdu"):
            rec.seance_cdu = s
            erreurs = ordre_verifier(rec, [o for o in ORDRE_DATES if "seance_cdu.date" in (o.champ, o.avant)], {})
            if erreurs:
                raise ValidationError({"date": f"Réclamation {rec.reference} : {next(iter(erreurs.values()))}"})
    s.save()
    if presents is not None:
        s.presents.set(presents)
    return s


# ---- the patient-safety dialogue campaigns ---------------------------------------------------------------

def campagne_depart(c: CampagneDialogue) -> tuple[date, str] | None:
    """Where the synthesis and closing-meeting targets start: the campaign's end, else its last interview."""
    if c.fin:
        return c.fin, f"fin de la campagne le {c.fin:%d/%m/%Y}"
    dernier = c.entretiens.order_by("-date").values_list("date", flat=True).first() if c.pk else None
    if dernier:
        return dernier, f"dernier entretien le {dernier:%d/%m/%Y}"
    return None


def campagne_echeances(c: CampagneDialogue) -> list[EcheancePrevue]:
    depart = campagne_depart(c)
    if depart is None:
        return []
    jour, libelle = depart
    dl = delais.charger(["dialogue-synthese", "dialogue-cloture"])
    # The synthesis has no date of its own: satisfied when first written, and that instant is kept.
    synthese_le = None
    if c.synthese.strip():
        synthese_le = next((e.satisfaite_le for e in echeances_de(c) if e.regle.code == "dialogue-synthese"
                            and e.satisfaite_le), None) or timezone.now()
    return [
        EcheancePrevue("dialogue-synthese", fin_de_jour(ajouter_mois(jour, dl["dialogue-synthese"].mois)), "", libelle,
                       synthese_le),
        EcheancePrevue("dialogue-cloture", fin_de_jour(ajouter_mois(jour, dl["dialogue-cloture"].mois)), "", libelle,
                       _debut_jour(c.reunion_cloture_le) if c.reunion_cloture_le else None),
    ]


def _synchroniser_campagne(c: CampagneDialogue, *, correction: bool = True) -> None:
    echeances.synchroniser(objet=c, prevues=campagne_echeances(c), reference=f"Dialogue — {c.titre}"[:120],
                           etablissement_id=c.etablissement_id, url=reverse("usagers:campagne", args=[c.pk]),
                           correction=correction)


def recalculs_enregistrer() -> None:
    """After a rule's delay is edited, the engine recomputes this module's records (open deadlines only)."""
    for modele, fonction in ((Reclamation, _synchroniser_reclamation), (DemandeDossier, _synchroniser_demande),
                             (MembreCDU, _synchroniser_mandat), (CampagneDialogue, _synchroniser_campagne)):
        echeances.recalcul_enregistrer(modele, lambda objet, f=fonction: f(objet, correction=False))


@transaction.atomic
def campagne_enregistrer(*, par, campagne: CampagneDialogue, revision: int | None = None,
                         modifications: dict | None = None) -> CampagneDialogue:
    """Save a campaign (built by its form; for an edit, only `modifications`, on the row as it is now) and
    recompute its synthesis and closing-meeting targets."""
    if campagne.pk is None:
        campagne.created_by = par
    elif modifications is not None:
        campagne = verrouiller(CampagneDialogue, campagne.pk, revision, modifications)
        appliquer(campagne, modifications, par)
    campagne.save()
    _synchroniser_campagne(campagne)
    return campagne


@transaction.atomic
def entretien_enregistrer(*, par, entretien: EntretienDialogue, enregistrer_liens=None) -> EntretienDialogue:
    """An interview moves the targets' start while the campaign has no end date."""
    entretien.created_by = par
    entretien.save()
    if enregistrer_liens:
        enregistrer_liens()
    _synchroniser_campagne(entretien.campagne)
    return entretien
