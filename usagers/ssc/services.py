"""Workflows of the usagers app. Involuntary care: admission, records, recomputed calendar."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qualite.echeances import delais as regles_delais
from qualite.echeances import moteur as echeances
from qualite.organisation.models import Compteur, Service
from qualite.outils import registres
from qualite.outils.copie import copier, inserer
from qualite.outils.dates import Ordre, dans_le_futur, en_utc, ordre_verifier
from qualite.outils.revisions import appliquer, verrouiller
from usagers.ssc import isolement
from usagers.ssc.calendrier import REGLES, Acte, Mode, TypeActe, calendrier, date_levee, en_hospitalisation_complete
from usagers.ssc.models import (
    ActeMesure,
    DecisionJugeIsolement,
    DocumentAdmission,
    EvaluationIsolement,
    MesureIsolement,
    MesureSoinsSansConsentement,
    PatientSSC,
    TransitionMesure,
    TypeActeMesure,
)

# Every rule this module computes: their delays are read once per recomputation from the rule table.
REGLES_SSC = [*REGLES, *(code for type_ in isolement.TYPES for code in isolement.regles(type_))]


def delais_ssc() -> dict:
    return regles_delais.charger(REGLES_SSC)


def _nom(texte: str) -> str:
    """Compare doctors' names regardless of case, accents and spacing."""
    sans_accent = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accent.lower().replace("dr ", "").replace("dr.", "").split())


# ---- admission -------------------------------------------------------------------------

def admission_conformite(mesure: MesureSoinsSansConsentement, documents: list[DocumentAdmission]) -> list[str]:
    """What the mode requires at admission and is missing or irregular (empty list: conforme)."""
    T = DocumentAdmission.Type
    certs = [d for d in documents if d.type == T.CERTIFICAT]
    avant_t0 = [d for d in certs if d.date <= mesure.t0]
    manques = []

    def exige(type_, libelle):
        if not any(d.type == type_ for d in documents):
            manques.append(f"{libelle}.")

    mode = mesure.mode
    if mode in (Mode.SDT, Mode.SDT_URGENCE):
        exige(T.DEMANDE_TIERS, "Demande du tiers manquante")
        if not (mesure.tiers_nom and mesure.tiers_lien):
            manques.append("Identité du tiers et lien avec le patient à renseigner.")
    if mode == Mode.SDT:
        if len(avant_t0) < 2:
            manques.append("Deux certificats médicaux circonstanciés sont requis (L3212-1 II 1°).")
        else:
            premier = avant_t0[0]
            if not premier.medecin_exterieur:
                manques.append("Le premier certificat doit émaner d'un médecin extérieur à l'établissement.")
            if _nom(avant_t0[0].auteur) == _nom(avant_t0[1].auteur):
                manques.append("Les deux certificats doivent être de deux médecins différents.")
        trop_vieux = [d for d in avant_t0 if mesure.t0 - d.date > timedelta(days=15)]
        if trop_vieux:
            manques.append("Un certificat a plus de 15 jours à la date d'admission.")
    elif mode == Mode.SDT_URGENCE:
        if not avant_t0:
            manques.append("Un certificat médical est requis (L3212-3).")
    elif mode == Mode.SPI:
        if not avant_t0:
            manques.append("Un certificat médical est requis (L3212-1 II 2°).")
        elif not avant_t0[0].medecin_exterieur:
            manques.append("Le certificat doit émaner d'un médecin extérieur à l'établissement.")
    elif mode in (Mode.SDRE, Mode.DETENU):
        exige(T.ARRETE_PREFET, "Arrêté préfectoral motivé manquant")
        if not avant_t0:
            manques.append("Un certificat médical est requis (L3213-1).")
        elif all(d.psychiatre_etablissement for d in avant_t0):
            manques.append("Le certificat ne peut émaner d'un psychiatre de l'établissement.")
    elif mode == Mode.SDRE_MAIRE:
        exige(T.MESURE_MAIRE, "Arrêté provisoire du maire manquant")
    elif mode == Mode.IRRESPONSABILITE:
        exige(T.DECISION_JUSTICE, "Décision de justice manquante")
    return manques


@transaction.atomic
def mesure_admettre(*, par, service: Service, patient: dict, mesure: dict) -> MesureSoinsSansConsentement:
    etab_id = service.pole.etablissement_id
    existant = PatientSSC.objects.filter(etablissement_id=etab_id, ipp=patient["ipp"]).first()
    if existant is None:
        existant = PatientSSC.objects.create(etablissement_id=etab_id, created_by=par, **patient)
    elif (_nom(existant.nom), existant.date_naissance) != (_nom(patient["nom"]), patient["date_naissance"]):
        raise ValidationError({"ipp": f"Cet IPP est déjà celui d'un autre patient ({existant.nom.upper()}, "
                                      f"né(e) le {existant.date_naissance:%d/%m/%Y}). Vérifiez l'identité."})
    if dans_le_futur(mesure["t0"]):
        raise ValidationError({"t0": "T0 ne peut pas être dans le futur."})
    obj = MesureSoinsSansConsentement(
        patient=existant, etablissement_id=etab_id, pole_id=service.pole_id, service=service, created_by=par, **mesure,
    )
    obj.reference = Compteur.prochaine_reference("SSC", timezone.localtime(obj.t0).year)
    obj.save()
    mesure_recalculer(obj)
    TransitionMesure.objects.create(mesure=obj, geste="admission", vers=obj.etape_courante([]), par=par)
    return obj


@transaction.atomic
def mesures_admettre_en_lot(*, par, admissions: list[tuple[Service, dict, dict]], calculer: bool = True) -> list:
    """mesure_admettre for many measures (a generator): the same checks, the patients and measures written by COPY
    with their history, the references numbered in order. `admissions`: (service, patient, mesure) as
    mesure_admettre takes them. `calculer=False` leaves the calendars to the caller, who adds the records first
    and then recalculates once (actes_ajouter_en_lot, mesures_recalculer)."""
    patients = _patients_en_lot(par, [(service.pole.etablissement_id, patient) for service, patient, _ in admissions])
    mesures = []
    for (service, _, donnees), patient in zip(admissions, patients, strict=True):
        if dans_le_futur(donnees["t0"]):
            raise ValidationError({"t0": "T0 ne peut pas être dans le futur."})
        mesures.append(MesureSoinsSansConsentement(patient=patient, etablissement_id=service.pole.etablissement_id,
                                                   pole_id=service.pole_id, service=service, created_by=par, **donnees))
    annees: dict[int, list] = {}
    for m in mesures:
        annees.setdefault(timezone.localtime(m.t0).year, []).append(m)
    for annee, de_l_annee in sorted(annees.items()):
        premier = Compteur.reserver("SSC", annee, nombre=len(de_l_annee))
        for rang, m in enumerate(de_l_annee):
            m.reference = f"SSC-{annee}-{premier + rang:05d}"
    nouveaux = {id(p): p for p in patients if p.pk is None}  # unsaved instances are not hashable
    inserer(PatientSSC, list(nouveaux.values()))
    for m in mesures:
        m.patient_id = m.patient.pk
    inserer(MesureSoinsSansConsentement, mesures)
    registres.modifie(MesureSoinsSansConsentement)
    copier(TransitionMesure, [{"mesure_id": m.pk, "geste": "admission", "vers": m.etape_courante([]), "par_id": par.pk,
                               "le": m.created_at} for m in mesures])
    if calculer:
        mesures_recalculer(mesures)
    return mesures


def _patients_en_lot(par, identites: list[tuple[int, dict]]) -> list[PatientSSC]:
    """Each admission's patient: the one already known by its IPP (same identity, or a ValidationError, as in
    mesure_admettre), else a new one, unsaved, shared by the batch's admissions of the same IPP."""
    connus = {(p.etablissement_id, p.ipp): p for p in PatientSSC.objects.filter(
        etablissement_id__in={e for e, _ in identites}, ipp__in={i["ipp"] for _, i in identites})}
    patients = []
    for etab_id, identite in identites:
        patient = connus.get((etab_id, identite["ipp"]))
        if patient is None:
            patient = connus[(etab_id, identite["ipp"])] = PatientSSC(etablissement_id=etab_id, created_by=par, **identite)
        elif (_nom(patient.nom), patient.date_naissance) != (_nom(identite["nom"]), identite["date_naissance"]):
            raise ValidationError({"ipp": f"Cet IPP est déjà celui d'un autre patient ({patient.nom.upper()}, "
                                          f"né(e) le {patient.date_naissance:%d/%m/%Y}). Vérifiez l'identité."})
        patients.append(patient)
    return patients


@transaction.atomic
def document_ajouter(*, mesure: MesureSoinsSansConsentement, par, donnees: dict) -> DocumentAdmission:
    date = donnees["date"]
    if date > mesure.t0 and donnees["type"] != DocumentAdmission.Type.ARRETE_PREFET:
        raise ValidationError({"date": f"Une pièce d'admission précède l'admission ({timezone.localtime(mesure.t0):%d/%m/%Y %H:%M})."})
    if dans_le_futur(date):
        raise ValidationError({"date": "Date dans le futur."})
    return DocumentAdmission.objects.create(mesure=mesure, created_by=par, **donnees)


# ---- records and calendar ----------------------------------------------------------------

def _actes(mesure) -> list[ActeMesure]:
    return list(mesure.actes.filter(annule=False).order_by("date_heure", "id"))


def _en_acte(a: ActeMesure) -> Acte:
    return Acte(a.type, a.date_heure, a.conclusion, a.forme, a.auteur)


def _en_hc(mesure, actes: list[ActeMesure], avant) -> bool:
    return en_hospitalisation_complete(mesure.t0, [_en_acte(a) for a in actes], avant)


def acte_valider(mesure: MesureSoinsSansConsentement, actes: list[ActeMesure], acte: ActeMesure) -> None:
    """Refuse what cannot be: a record before T0, after the lifting, a 72 h certificate before
    the 24 h one, a certificate by an admission doctor... Raises ValidationError by field."""
    err: dict[str, str] = {}
    t0 = mesure.t0
    d = acte.date_heure
    fmt = lambda x: timezone.localtime(x).strftime("%d/%m/%Y à %H:%M")  # noqa: E731
    if d < t0:
        err["date_heure"] = f"Date antérieure à l'admission (T0 : {fmt(t0)})."
    elif dans_le_futur(d):
        err["date_heure"] = "Date dans le futur : enregistrez l'acte une fois établi."
    elif mesure.levee_le and d > mesure.levee_le:
        err["date_heure"] = f"La mesure est levée depuis le {fmt(mesure.levee_le)}."
    autres = [a for a in actes if a is not acte and (a.pk is None or a.pk != acte.pk)]  # unsaved: a bulk import's
    par_type = {}
    for a in autres:
        par_type.setdefault(a.type, []).append(a)
    if acte.type in (TypeActe.CERTIFICAT_24H, TypeActe.CERTIFICAT_72H):
        if par_type.get(acte.type):
            err["type"] = "Ce certificat est déjà enregistré pour cette mesure (annulez-le pour le corriger)."
        c24, c72 = par_type.get(TypeActe.CERTIFICAT_24H), par_type.get(TypeActe.CERTIFICAT_72H)
        if acte.type == TypeActe.CERTIFICAT_72H and c24 and d <= c24[0].date_heure:
            err["date_heure"] = f"Le certificat de 72 h ne peut précéder celui de 24 h ({fmt(c24[0].date_heure)})."
        if acte.type == TypeActe.CERTIFICAT_24H and c72 and d >= c72[0].date_heure:
            err["date_heure"] = f"Le certificat de 24 h ne peut suivre celui de 72 h ({fmt(c72[0].date_heure)})."
        if not acte.psychiatre_etablissement:
            err["psychiatre_etablissement"] = "Ce certificat est établi par un psychiatre de l'établissement (L3211-2-2)."
        admission = {_nom(doc.auteur) for doc in mesure.documents.all() if doc.type == DocumentAdmission.Type.CERTIFICAT}
        if _nom(acte.auteur) in admission:
            err["auteur"] = "Ce psychiatre a rédigé un certificat d'admission : un autre doit établir ce certificat."
        if mesure.mode in (Mode.SDT_URGENCE, Mode.SPI):
            autre = c72 if acte.type == TypeActe.CERTIFICAT_24H else c24
            if autre and _nom(autre[0].auteur) == _nom(acte.auteur):
                err["auteur"] = "En urgence ou en péril imminent, les certificats de 24 h et de 72 h sont de deux psychiatres différents."
        if not acte.conclusion or acte.conclusion == "mainlevee":
            err["conclusion"] = "Indiquez si les soins restent nécessaires."
        if acte.type == TypeActe.CERTIFICAT_72H and acte.conclusion == "maintien" and not acte.forme:
            err["forme"] = "Le certificat de 72 h propose une forme de prise en charge."
    if not acte.auteur.strip():
        err.setdefault("auteur", "Indiquez l'auteur (médecin, directeur, préfet, juge...).")
    if acte.type == TypeActe.DECISION_JUGE and acte.conclusion not in ("maintien", "mainlevee"):
        err["conclusion"] = "Le juge maintient ou ordonne la mainlevée."
    if acte.type == TypeActe.DECISION_FORME and not acte.forme:
        err["forme"] = "Indiquez la forme décidée."
    if acte.type == TypeActe.CERTIFICAT_MENSUEL and not acte.conclusion:
        err["conclusion"] = "Indiquez si les soins restent nécessaires."
    if acte.type == TypeActe.REINTEGRATION_HC and "date_heure" not in err and _en_hc(mesure, autres, d):
        err["type"] = "Le patient est déjà en hospitalisation complète à cette date."
    if acte.type == TypeActe.PROGRAMME_SOINS and "date_heure" not in err:
        if mesure.mode == Mode.DETENU:
            err["type"] = "Une personne détenue n'est prise en charge qu'en hospitalisation complète (L3214-1)."
        elif not _en_hc(mesure, autres, d):
            err["type"] = "Le patient est déjà en programme de soins à cette date."
    if acte.type == TypeActe.REFERE_PREFET and mesure.mode != Mode.SDRE_MAIRE:
        err["type"] = "La saisine du préfet par le maire ne concerne qu'une mesure provisoire du maire (L3213-2)."
    if acte.type == TypeActe.INFORMATION_FAMILLE and mesure.mode != Mode.SPI:
        err["type"] = "L'information de la famille dans les 24 h concerne l'admission en péril imminent (L3212-1 II 2°)."
    if acte.forme == "programme_soins" and mesure.mode == Mode.DETENU:
        err["forme"] = "Une personne détenue n'est prise en charge qu'en hospitalisation complète (L3214-1)."
    if err:
        raise ValidationError(err)


def mesure_recalculer(mesure: MesureSoinsSansConsentement, *, correction: bool = False) -> None:
    mesures_recalculer([mesure], correction=correction)


def _actes_par_mesure(ids) -> dict[int, list[ActeMesure]]:
    """Each measure's records in force, in date order (_actes() for many measures, one query)."""
    par_mesure: dict[int, list[ActeMesure]] = {}
    for a in ActeMesure.objects.filter(mesure_id__in=ids, annule=False).order_by("mesure_id", "date_heure", "id"):
        par_mesure.setdefault(a.mesure_id, []).append(a)
    return par_mesure


def mesures_recalculer(mesures: list[MesureSoinsSansConsentement], *, correction: bool = False) -> None:
    """Each measure's lifting date and legal calendar recomputed from its records, and its deadlines brought in
    line: records, isolation decisions and deadlines read for all the measures at once, liftings and deadlines
    written in bulk. The same rows and history as one recomputation per measure."""
    if not mesures:
        return
    delais = delais_ssc()
    ids = [m.pk for m in mesures]
    actes, isolements = _actes_par_mesure(ids), _isolements_par_mesure(ids)
    maintenant = timezone.now()
    levees, synchros = [], []
    for mesure in mesures:
        faits = [_en_acte(a) for a in actes.get(mesure.pk, [])]
        levee = date_levee(mesure.mode, mesure.t0, faits)
        if levee != mesure.levee_le:
            mesure.levee_le, mesure.updated_at = levee, maintenant
            levees.append(mesure)
        prevues = (calendrier(mode=mesure.mode, t0=mesure.t0, actes=faits, delais=delais)
                   + _isolement_prevues(isolements[mesure.pk], maintenant, delais))
        synchros.append(echeances.Synchronisation(
            objet=mesure, prevues=prevues, reference=mesure.reference, etablissement_id=mesure.etablissement_id,
            pole_id=mesure.pole_id, service_id=mesure.service_id, url=reverse("usagers:ssc_mesure", args=[mesure.pk]),
            motif_disparition="Plus dû : mesure levée ou parcours modifié.", correction=correction))
    if levees:
        MesureSoinsSansConsentement.objects.bulk_update(levees, ["levee_le", "updated_at"], batch_size=1000)
        registres.modifie(MesureSoinsSansConsentement)  # what save()'s signal did
    echeances.synchroniser_en_lot(synchros)


def _acte_enregistrer(mesure: MesureSoinsSansConsentement, par, donnees: dict, actes: list[ActeMesure]) -> ActeMesure:
    """Validate, write, recompute the calendar, and record the move with the step it led to."""
    acte = ActeMesure(mesure=mesure, created_by=par, **donnees)
    acte_valider(mesure, actes, acte)
    de = mesure.etape_courante(actes)
    acte.save()
    mesure_recalculer(mesure)
    TransitionMesure.objects.create(mesure=mesure, geste=acte.type, acte=acte, de=de,
                                    vers=mesure.etape_courante([*actes, acte]), par=par, le=acte.created_at)
    return acte


@transaction.atomic
def acte_ajouter(*, mesure: MesureSoinsSansConsentement, par, donnees: dict) -> ActeMesure:
    mesure = MesureSoinsSansConsentement.objects.select_for_update().get(pk=mesure.pk)
    return _acte_enregistrer(mesure, par, donnees, _actes(mesure))


@transaction.atomic
def mesure_avancer(*, mesure: MesureSoinsSansConsentement, par, donnees: dict) -> ActeMesure:
    """An act recorded from the measure's page: only one of its next legal moves (prochains_gestes), checked
    under the measure's lock so two tabs cannot both take a move the first one closed."""
    mesure = MesureSoinsSansConsentement.objects.select_for_update().get(pk=mesure.pk)
    actes = _actes(mesure)
    gestes = mesure.prochains_gestes(actes=actes)
    if donnees["type"] not in {g.code for g in gestes}:
        permis = ", ".join(g.libelle.lower() for g in gestes) or "aucun"
        raise ValidationError({"type": f"« {TypeActeMesure(donnees['type']).label} » n'est pas une prochaine étape "
                                       f"de cette mesure (prochaines étapes : {permis})."})
    return _acte_enregistrer(mesure, par, donnees, actes)


@transaction.atomic
def actes_ajouter_en_lot(*, par, actes: list[tuple], refuser=None) -> list:
    """acte_ajouter for many records (an import): each checked, in order, against its measure's records as they
    stand with the batch's earlier ones (and the lifting they imply), then written, and the legal calendars of
    the measures recalculated together (mesures_recalculer), not per record. `actes`: (measure, donnees);
    `refuser(mesure, acte, actes)`: an extra check of the caller. Returns, in order, each record created or the
    ValidationError refusing it."""
    resultats: list = [None] * len(actes)
    par_mesure: dict[int, list[int]] = {}
    for i, (mesure, _) in enumerate(actes):
        par_mesure.setdefault(mesure.pk, []).append(i)
    # Locked in id order, as any other batch does: two imports never wait on each other crosswise.
    mesures = {m.pk: m for m in MesureSoinsSansConsentement.objects.select_for_update().filter(pk__in=par_mesure)
               .order_by("pk").prefetch_related("documents")}
    presents = _actes_par_mesure(list(par_mesure))
    nouveaux, recalculer = [], []
    for mesure_id, indices in par_mesure.items():
        mesure = mesures[mesure_id]
        crees = _actes_valider_en_lot(mesure, presents.get(mesure_id, []), [(i, actes[i][1]) for i in indices],
                                      par=par, refuser=refuser, resultats=resultats)
        nouveaux += crees
        if crees:
            recalculer.append(mesure)
    inserer(ActeMesure, nouveaux)
    mesures_recalculer(recalculer)
    # Each move with the step it led to, as acte_ajouter records it.
    copier(TransitionMesure, [{"mesure_id": a.mesure_id, "geste": a.type, "acte_id": a.pk, "de": a._de, "vers": a._vers,
                               "par_id": par.pk, "le": a.created_at} for a in nouveaux])
    return resultats


def _actes_valider_en_lot(mesure, presents: list[ActeMesure], donnees: list[tuple[int, dict]], *, par, refuser,
                          resultats: list) -> list[ActeMesure]:
    """One measure's new records checked in order, each against the records before it; the refusals are put in
    `resultats`. Returns the records accepted, unsaved."""
    levee_enregistree, rang, acceptes = mesure.levee_le, 0, []
    for i, valeurs in donnees:
        acte = ActeMesure(mesure=mesure, created_by=par, **valeurs)
        try:
            if refuser is not None:
                refuser(mesure, acte, presents)
            acte_valider(mesure, presents, acte)
        except ValidationError as exc:
            resultats[i] = exc
            continue
        resultats[i], rang = acte, rang + 1
        acte._rang = rang  # written in this order, so its id sorts it after the records already there
        acte._de = mesure.etape_courante(presents)
        acceptes.append(acte)
        presents = sorted([*presents, acte], key=lambda a: (a.date_heure, a.pk is None, a.pk or a._rang))
        mesure.levee_le = date_levee(mesure.mode, mesure.t0, [_en_acte(a) for a in presents])
        acte._vers = mesure.etape_courante(presents)
    mesure.levee_le = levee_enregistree
    return acceptes


@transaction.atomic
def acte_annuler(*, acte: ActeMesure, par, motif: str) -> ActeMesure:
    if not motif.strip():
        raise ValidationError({"motif": "Indiquez pourquoi cet acte est annulé."})
    mesure = MesureSoinsSansConsentement.objects.select_for_update().get(pk=acte.mesure_id)
    acte = ActeMesure.objects.get(pk=acte.pk)
    acte.annule = True
    acte.motif_annulation = motif.strip()
    avant = _actes(mesure)
    de = mesure.etape_courante(avant)
    acte.save(update_fields=["annule", "motif_annulation", "updated_at"])
    mesure_recalculer(mesure, correction=True)
    TransitionMesure.objects.create(mesure=mesure, geste="annulation", acte=acte, de=de,
                                    vers=mesure.etape_courante([a for a in avant if a.pk != acte.pk]), par=par,
                                    commentaire=acte.motif_annulation)
    return acte


# ---- isolation and restraint ---------------------------------------------------------------

@dataclass
class _Isolements:
    """A measure's isolation / restraint decisions, evaluations (type, instant) and judge's decisions."""

    decisions: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    juges: list = field(default_factory=list)


def _isolements_par_mesure(ids) -> dict[int, _Isolements]:
    par_mesure = {pk: _Isolements() for pk in ids}
    for d in MesureIsolement.objects.filter(mesure_id__in=ids).order_by("debut", "id"):
        par_mesure[d.mesure_id].decisions.append(d)
    evaluations = (EvaluationIsolement.objects.filter(decision__mesure_id__in=ids)
                   .values_list("decision__mesure_id", "decision__type", "date_heure"))
    for mesure_id, type_, quand in evaluations:
        par_mesure[mesure_id].evaluations.append((type_, quand))
    for j in DecisionJugeIsolement.objects.filter(mesure_id__in=ids).order_by("date_heure", "id"):
        par_mesure[j.mesure_id].juges.append(j)
    return par_mesure


def isolement_echeances(mesure: MesureSoinsSansConsentement, maintenant=None, delais=None) -> list:
    """Deadlines of isolation / restraint: each decision's end, the psychiatrist's evaluations, then the
    information and saisine thresholds, reached by the current episode or by the last 15 days
    (isolement.instant_atteint)."""
    return _isolement_prevues(_isolements_par_mesure([mesure.pk])[mesure.pk], maintenant or timezone.now(),
                              delais or delais_ssc())


def _isolement_prevues(donnees: _Isolements, maintenant, delais) -> list:
    prevues = []
    for type_ in ("isolement", "contention"):
        du_type = [d for d in donnees.decisions if d.type == type_]
        if not du_type:
            continue
        seuils = isolement.seuils(type_, delais)
        prevues += _isolement_decisions(type_, du_type, donnees.evaluations, seuils, maintenant)
        prevues += _isolement_episode(type_, du_type, donnees.juges, seuils, maintenant)
    return prevues


def _isolement_decisions(type_, du_type, evaluations, seuils, maintenant) -> list:
    """Each decision's end, and the evaluations due while the decisions of this type run."""
    prevues = []
    for d in du_type:
        prevues.append(echeances.EcheancePrevue(
            f"ssc-{type_}-renouvellement", isolement.fin_decision(isolement.Decision(d.debut, d.fin), type_, seuils),
            f"decision-{d.pk}", f"décision du {timezone.localtime(d.debut):%d/%m/%Y %H:%M}", d.fin))
    toutes = [isolement.Decision(d.debut, d.fin) for d in du_type]
    for p in isolement.evaluations_dues(toutes, [e for t, e in evaluations if t == type_], seuils.evaluation, maintenant):
        prevues.append(echeances.EcheancePrevue(
            f"ssc-{type_}-evaluation", p.echeance, f"evaluation-{p.debut_suite:%Y%m%d%H%M}-{p.rang}",
            f"période {p.rang} du {timezone.localtime(p.debut):%d/%m/%Y %H:%M}", p.satisfaite_le))
    return prevues


def _isolement_episode(type_, du_type, juges, seuils, maintenant) -> list:
    """The information and saisine thresholds of the current episode, and the judge's 7-day renewals."""
    toutes = [isolement.Decision(d.debut, d.fin) for d in du_type]
    chaine = isolement.episode(toutes, maintenant)
    if not chaine:
        return []
    prevues = []
    membres = du_type[len(du_type) - len(chaine):]
    debut_ep = chaine[0].debut
    cle = f"episode-{membres[0].pk}"
    depart = f"épisode commencé le {timezone.localtime(debut_ep):%d/%m/%Y %H:%M}"
    info = isolement.instant_atteint(toutes, chaine, seuils.information, maintenant)
    if info is not None:
        juge = min((m.juge_informe_le for m in membres if m.juge_informe_le), default=None)
        proche = min((m.proche_informe_le for m in membres if m.proche_informe_le), default=None)
        prevues.append(echeances.EcheancePrevue(f"ssc-{type_}-information", info, cle, depart,
                                                max(juge, proche) if juge and proche else None))
    saisine = isolement.instant_atteint(toutes, chaine, seuils.saisine, maintenant)
    if saisine is not None:
        saisi = min((m.juge_saisi_le for m in membres if m.juge_saisi_le), default=None)
        prevues.append(echeances.EcheancePrevue(f"ssc-{type_}-saisine", saisine, cle, depart, saisi))
    # After two maintenance decisions of the judge in this episode: a new saisine 168 h after the last one.
    maintiens = [d for d in juges if d.type == type_ and d.maintien and d.date_heure >= debut_ep]
    for rang in range(2, len(maintiens) + 1):
        derniere = en_utc(maintiens[rang - 1].date_heure)
        limite = isolement.nouvelle_saisine(derniere, seuils)
        if rang < len(maintiens) or chaine[-1].fin is None or chaine[-1].fin > limite:
            saisi = min((m.juge_saisi_le for m in membres if m.juge_saisi_le and en_utc(m.juge_saisi_le) > derniere), default=None)
            prevues.append(echeances.EcheancePrevue(
                f"ssc-{type_}-saisine-7j", limite, f"{cle}-decision-{rang}",
                f"décision de maintien du juge du {timezone.localtime(derniere):%d/%m/%Y %H:%M}", saisi))
    return prevues


# Informing the judge and the relatives, and referring to the judge (L3222-5-1), belong to an episode that may have
# started with an earlier decision: none can precede the first isolation or restraint of the measure.
ORDRE_ISOLEMENT = [
    Ordre("juge_informe_le", "premier_debut", "L'information du juge ne peut précéder le premier isolement ou la "
          "première contention de la mesure"),
    Ordre("proche_informe_le", "premier_debut", "L'information des proches ne peut précéder le premier isolement ou "
          "la première contention de la mesure"),
    Ordre("juge_saisi_le", "premier_debut", "La saisine du juge ne peut précéder le premier isolement ou la première "
          "contention de la mesure"),
]


def isolement_valider(mesure: MesureSoinsSansConsentement, decision: MesureIsolement) -> None:
    err: dict[str, str] = {}
    fmt = lambda x: timezone.localtime(x).strftime("%d/%m/%Y à %H:%M")  # noqa: E731
    maintenant = timezone.now()
    seuils = isolement.seuils(decision.type, delais_ssc())
    # A form or a file hands Paris-time datetimes, which Python subtracts and compares by wall clock:
    # every duration and comparison below is between UTC instants (a 12 h isolation across a clock change).
    debut = en_utc(decision.debut)
    fin_saisie = None if decision.fin is None else en_utc(decision.fin)
    if debut < en_utc(mesure.t0):
        err["debut"] = f"Début antérieur à l'admission (T0 : {fmt(mesure.t0)})."
    elif dans_le_futur(debut, maintenant):
        err["debut"] = "Début dans le futur."
    elif mesure.levee_le and debut > en_utc(mesure.levee_le):
        err["debut"] = f"La mesure de soins est levée depuis le {fmt(mesure.levee_le)}."
    elif not _en_hc(mesure, _actes(mesure), debut):
        err["debut"] = "Isolement et contention ne concernent que les patients en hospitalisation complète."
    if fin_saisie is not None:
        if fin_saisie <= debut:
            err["fin"] = "La fin doit suivre le début."
        elif isolement.trop_longue(isolement.Decision(debut, fin_saisie), decision.type, seuils):
            heures = int(seuils.decision.total_seconds() // 3600)
            err["fin"] = f"Une décision de {decision.get_type_display().lower()} vaut {heures} h au plus : au-delà, enregistrez un renouvellement."
        elif dans_le_futur(fin_saisie, maintenant):
            err["fin"] = "Fin dans le futur : enregistrez-la quand la mesure prend fin."
    autres = mesure.isolements.exclude(pk=decision.pk)
    if "debut" not in err:
        fin = fin_saisie or maintenant
        for a in autres.filter(type=decision.type):
            a_fin = en_utc(a.fin or maintenant)
            if en_utc(a.debut) < fin and debut < a_fin:
                err["debut"] = f"Chevauche la décision du {fmt(a.debut)} : un renouvellement commence à la fin de la précédente."
                break
    if decision.type == "contention" and "debut" not in err:
        couverte = any(
            en_utc(i.debut) <= debut and (i.fin is None or (fin_saisie is not None and fin_saisie <= en_utc(i.fin)))
            for i in autres.filter(type="isolement")
        )
        if not couverte:
            err["debut"] = "La contention n'est possible que pendant un isolement en cours (L3222-5-1)."
    for champ in ("juge_informe_le", "proche_informe_le", "juge_saisi_le"):
        v = getattr(decision, champ)
        if v is not None and en_utc(v) < en_utc(mesure.t0):
            err[champ] = "Date antérieure à l'admission."
        elif dans_le_futur(v, maintenant):
            err[champ] = "Date dans le futur."
    if decision.debut and any(getattr(decision, o.champ) for o in ORDRE_ISOLEMENT):
        autres_debuts = mesure.isolements.exclude(pk=decision.pk).values_list("debut", flat=True)
        etapes = SimpleNamespace(premier_debut=min([decision.debut, *autres_debuts]),
                                 **{o.champ: getattr(decision, o.champ) for o in ORDRE_ISOLEMENT})
        ordre_verifier(etapes, ORDRE_ISOLEMENT, err)
    if err:
        raise ValidationError(err)


@transaction.atomic
def decision_juge_isolement_enregistrer(*, mesure: MesureSoinsSansConsentement, par, donnees: dict):
    mesure = MesureSoinsSansConsentement.objects.select_for_update().get(pk=mesure.pk)
    d = donnees["date_heure"]
    if d < mesure.t0:
        raise ValidationError({"date_heure": "Date antérieure à l'admission."})
    if dans_le_futur(d):
        raise ValidationError({"date_heure": "Date dans le futur."})
    if not mesure.isolements.filter(type=donnees["type"], debut__lte=d).exists():
        raise ValidationError({"type": "Aucune mesure de ce type n'a commencé avant cette décision."})
    decision = DecisionJugeIsolement.objects.create(mesure=mesure, created_by=par, **donnees)
    mesure_recalculer(mesure)
    return decision


@transaction.atomic
def isolement_enregistrer(*, mesure: MesureSoinsSansConsentement, par, decision: MesureIsolement,
                          revision: int | None = None, modifications: dict | None = None) -> MesureIsolement:
    """A new decision, or an edit: then only `modifications` are written, on the row as it is now, and a
    page loaded at another `revision` is refused (qualite/outils/revisions.py)."""
    mesure = MesureSoinsSansConsentement.objects.select_for_update().get(pk=mesure.pk)
    if decision.pk is not None and modifications is not None:
        decision = verrouiller(MesureIsolement, decision.pk, revision, modifications)
        appliquer(decision, modifications, par)
    decision.mesure = mesure
    if decision.pk is None:
        decision.created_by = par
    isolement_valider(mesure, decision)
    decision.save()
    mesure_recalculer(mesure)
    return decision


def evaluation_valider(decision: MesureIsolement, evaluation: EvaluationIsolement) -> None:
    """An evaluation happens while the decision runs: not before its start, not after its end, not in the future."""
    err: dict[str, str] = {}
    fmt = lambda x: timezone.localtime(x).strftime("%d/%m/%Y à %H:%M")  # noqa: E731
    quand = en_utc(evaluation.date_heure)
    if quand < en_utc(decision.debut):
        err["date_heure"] = f"L'évaluation ne peut précéder le début de la décision ({fmt(decision.debut)})."
    elif decision.fin is not None and quand > en_utc(decision.fin):
        err["date_heure"] = f"L'évaluation ne peut suivre la fin de la décision ({fmt(decision.fin)})."
    elif dans_le_futur(quand):
        err["date_heure"] = "Date dans le futur : enregistrez l'évaluation une fois faite."
    if not evaluation.psychiatre.strip():
        err["psychiatre"] = "Indiquez le psychiatre qui a évalué le patient."
    if err:
        raise ValidationError(err)


@transaction.atomic
def evaluation_enregistrer(*, decision: MesureIsolement, par, donnees: dict) -> EvaluationIsolement:
    """A psychiatrist's evaluation of a patient in isolation or restraint; the evaluation deadlines are recomputed."""
    mesure = MesureSoinsSansConsentement.objects.select_for_update().get(pk=decision.mesure_id)
    decision = MesureIsolement.objects.get(pk=decision.pk)
    evaluation = EvaluationIsolement(decision=decision, created_by=par, **donnees)
    evaluation_valider(decision, evaluation)
    evaluation.save()
    mesure_recalculer(mesure)
    return evaluation
