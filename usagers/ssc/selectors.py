from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear

from qualite.echeances.models import Echeance
from qualite.echeances.moteur import bornes_du_jour
from usagers.ssc.access import mesures_scope
from usagers.ssc.models import MesureIsolement, MesureSoinsSansConsentement, ModeAdmission


def journal_quotidien(user, maintenant=None):
    """Open deadlines of active measures in scope — overdue, today, next 7 days — with
    patient and unit joined in SQL: a constant number of queries whatever the volume."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    mesures = mesures_scope(MesureSoinsSansConsentement.objects.all(), user)
    return (
        Echeance.objects.ouvertes()
        .filter(content_type=ContentType.objects.get_for_model(MesureSoinsSansConsentement),
                object_id__in=mesures.values("pk"), echeance__lt=demain + timedelta(days=7))
        .select_related("regle")
        .annotate(unite=F("mesure_ssc__service__nom"), patient_nom=F("mesure_ssc__patient__nom"),
                  patient_prenom=F("mesure_ssc__patient__prenom"), patient_ipp=F("mesure_ssc__patient__ipp"))
        .avec_statut(maintenant)
        .order_by("unite", "echeance", "id")
    )


def mesures_liste(user):
    return mesures_scope(
        MesureSoinsSansConsentement.objects.select_related("patient", "service", "pole", "etablissement"), user
    ).order_by("-t0", "-id")


def registre_isolement(user):
    return mesures_scope(
        MesureIsolement.objects.select_related("mesure", "mesure__patient", "mesure__service")
        .annotate(nb_evaluations=Count("evaluations")), user, champ="mesure"
    ).order_by("-debut", "-id")


def statistiques_masquees(stats: dict) -> dict:
    """The yearly figures as the CDU and the user representatives see them (qualite/pilotage/anonymat.py):
    each year's modes as one block, isolation counts masked, and no total duration for 1 or 2 patients
    (it would be one patient's own time in isolation)."""
    from qualite.pilotage.anonymat import SECRET, masquer, masquer_bloc, petit

    mesures = [dict(r) for r in stats["mesures"]]
    for annee in {r["annee"] for r in mesures}:
        lignes = [r for r in mesures if r["annee"] == annee]
        for r, n in zip(lignes, masquer_bloc([r["n"] for r in lignes]).valeurs, strict=True):
            r["n"] = n
    isolement = [dict(r, decisions=masquer(r["decisions"]), patients=masquer(r["patients"]),
                      duree=SECRET if petit(r["patients"]) else r["duree"]) for r in stats["isolement"]]
    return {**stats, "mesures": mesures, "isolement": isolement,
            "actives": masquer(stats["actives"]), "levees": masquer(stats["levees"])}


def statistiques_annuelles(user, qs_mesures=None):
    """Yearly figures for the CDU report, anonymous and aggregated in SQL."""
    from qualite.organisation import access

    etabs = access.etablissements_visibles(user)
    mesures = MesureSoinsSansConsentement.objects.filter(etablissement_id__in=etabs)
    par_annee_mode = list(
        mesures.annotate(annee=ExtractYear("t0")).values("annee", "mode").annotate(n=Count("id")).order_by("-annee", "mode")
    )
    iso = MesureIsolement.objects.filter(mesure__etablissement_id__in=etabs, fin__isnull=False)
    par_annee_iso = list(
        iso.annotate(annee=ExtractYear("debut")).values("annee", "type")
        .annotate(decisions=Count("id"), patients=Count("mesure__patient", distinct=True), duree=Sum(F("fin") - F("debut")))
        .order_by("-annee", "type")
    )
    libelles = dict(ModeAdmission.choices)
    for r in par_annee_mode:
        r["mode_libelle"] = libelles.get(r["mode"], r["mode"])
    return {"mesures": par_annee_mode, "isolement": par_annee_iso,
            "actives": mesures.filter(levee_le__isnull=True).count(),
            "levees": mesures.filter(~Q(levee_le=None)).count()}
