"""Reads of the user-relations registers. Anonymised shapes carry no name, address or free text
other than the summary staff marked as anonymous."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Func, Q
from django.db.models.functions import ExtractYear

from qualite.echeances.models import Echeance
from qualite.organisation import access
from qualite.paqss.models import ActionAmelioration
from qualite.pilotage.anonymat import masquer, masquer_bloc, petit
from usagers.relations.access import cdu_scope, dossiers_scope, reclamations_scope
from usagers.relations.models import (
    DemandeDossier,
    EntretienDialogue,
    MembreCDU,
    NatureReclamation,
    Reclamation,
    RecommandationCDU,
    SeanceCDU,
)

CHAMPS_ANONYMES = ("id", "reference", "recue_le", "nature", "canal", "categories", "mediation", "mediateur_saisi_le",
                   "rencontre_le", "rapport_le", "reponse_finale_le", "etablissement__nom")


def reclamations(user):
    return reclamations_scope(Reclamation.objects.select_related("etablissement", "seance_cdu"), user).order_by("-recue_le", "-id")


def reclamations_anonymisees(qs, *annotations):
    """The shape CDU members and RU receive: no author, no patient, no object; the summary only if validated.
    `annotations`: non-nominative columns `qs` already carries (the next deadline)."""
    return qs.annotate(
        services_noms=StringAgg("services__nom", delimiter=", ", distinct=True),
        resume=StringAgg("resume_anonymise", delimiter="", filter=Q(resume_valide=True), distinct=True),
    ).values(*CHAMPS_ANONYMES, *annotations, "services_noms", "resume")


def dossiers(user):
    return dossiers_scope(DemandeDossier.objects.select_related("etablissement"), user).order_by("-recue_le", "-id")


def statistiques_dossiers(qs_etablissements, annee=None) -> dict:
    """Number, mean response time and share within the deadline — from the deadline engine, in SQL."""
    demandes = DemandeDossier.objects.filter(etablissement_id__in=qs_etablissements)
    if annee:
        demandes = demandes.filter(recue_le__year=annee)
    ct = ContentType.objects.get_for_model(DemandeDossier)
    ech = Echeance.objects.filter(content_type=ct, object_id__in=demandes.values("pk"), sans_objet=False)
    totaux = ech.aggregate(
        total=Count("id"),
        repondues=Count("id", filter=Q(satisfaite_le__isnull=False)),
        dans_delai=Count("id", filter=Q(satisfaite_le__isnull=False, satisfaite_le__lte=F("echeance"))),
        plus_5_ans=Count("id", filter=Q(regle__code="dossier-communication-2m")),
    )
    delai = demandes.filter(communiquee_le__isnull=False, refusee=False).aggregate(
        moyen=Avg(ExpressionWrapper(F("communiquee_le") - F("recue_le"), output_field=DurationField())))["moyen"]
    totaux["delai_moyen_jours"] = round(delai.total_seconds() / 86400, 1) if delai else None
    totaux["part_dans_delai"] = round(100 * totaux["dans_delai"] / totaux["repondues"]) if totaux["repondues"] else None
    return totaux


def membres_cdu(user):
    return cdu_scope(MembreCDU.objects.select_related("etablissement"), user).filter(actif=True).order_by("etablissement__nom", "role", "nom")


def seances_cdu(user):
    return cdu_scope(SeanceCDU.objects.select_related("etablissement"), user).annotate(
        n_presents=Count("presents", distinct=True), n_recommandations=Count("recommandations", distinct=True)
    ).order_by("-date")


def activite_ru(user):
    """Per RU and per year: sessions attended, mediations accompanied, recommendations made and realised,
    dialogue interviews — the indicators of the representatives' impact study, over time."""
    ru = cdu_scope(MembreCDU.objects.filter(role__in=MembreCDU.ROLES_RU), user)
    annees = {}
    for membre in ru.values("id", "nom", "etablissement__nom"):
        annees[membre["id"]] = {"membre": membre, "annees": {}}

    def ajouter(qs, champ_annee, cle, membre_champ):
        for r in qs.annotate(annee=ExtractYear(champ_annee)).values(membre_champ, "annee").annotate(n=Count("id", distinct=True)):
            if r[membre_champ] in annees:
                annees[r[membre_champ]]["annees"].setdefault(r["annee"], {}).update({cle: r["n"]})

    ids = list(annees)
    ajouter(SeanceCDU.objects.filter(presents__in=ids, statut=SeanceCDU.Statut.TENUE), "date", "seances", "presents")
    ajouter(Reclamation.objects.filter(ru_accompagnant__in=ids), "rencontre_le", "mediations", "ru_accompagnant")
    ajouter(RecommandationCDU.objects.filter(proposee_par__in=ids), "seance__date", "recommandations", "proposee_par")
    ajouter(RecommandationCDU.objects.filter(proposee_par__in=ids, action__statut=ActionAmelioration.Statut.REALISEE),
            "seance__date", "realisees", "proposee_par")
    ajouter(EntretienDialogue.objects.filter(ru_presents__in=ids), "date", "entretiens", "ru_presents")
    return list(annees.values())


def donnees_rapport_cdu(user, annee: int) -> dict:
    """Everything the CDU annual report needs on one page — counts only, never a name."""
    etabs = access.perimetre(user, "cdu.consulter").etablissements
    recs = Reclamation.objects.non_archivees().filter(etablissement_id__in=etabs, recue_le__year=annee)
    comptes_nature = {r["nature"]: r["n"] for r in recs.values("nature").annotate(n=Count("id"))}
    par_nature = [(libelle, comptes_nature.get(code, 0)) for code, libelle in NatureReclamation.choices]
    par_categorie = list(
        recs.annotate(categorie=Func(F("categories"), function="unnest")).values("categorie")
        .annotate(n=Count("id")).order_by("-n")
    )
    mediations = recs.filter(mediateur_saisi_le__isnull=False).aggregate(
        total=Count("id"), medical=Count("id", filter=Q(mediation__in=["medicale", "les_deux"])),
        non_medical=Count("id", filter=Q(mediation__in=["non_medicale", "les_deux"])),
        avec_ru=Count("id", filter=Q(ru_accompagnant__isnull=False)),
    )
    delai_reponse = recs.filter(reponse_finale_le__isnull=False).aggregate(
        moyen=Avg(ExpressionWrapper(F("reponse_finale_le") - F("recue_le"), output_field=DurationField())))["moyen"]
    seances = SeanceCDU.objects.filter(etablissement_id__in=etabs, date__year=annee)
    recommandations = RecommandationCDU.objects.filter(seance__in=seances)
    return {
        "annee": annee,
        "reclamations": {"total": recs.count(), "par_nature": par_nature, "par_categorie": par_categorie,
                         "mediations": mediations,
                         "delai_reponse_jours": round(delai_reponse.days, 1) if delai_reponse else None},
        "dossiers": statistiques_dossiers(etabs, annee),
        "seances": {"tenues": seances.filter(statut=SeanceCDU.Statut.TENUE).count(),
                    "planifiees": seances.exclude(statut=SeanceCDU.Statut.ANNULEE).count()},
        "recommandations": {
            "total": recommandations.count(),
            "en_action": recommandations.filter(action__isnull=False).count(),
            "realisees": recommandations.filter(action__statut=ActionAmelioration.Statut.REALISEE).count(),
        },
    }


def rapport_cdu_masque(d: dict) -> dict:
    """The CDU report as the CDU members and user representatives see it: every count of people
    (complaints, mediations, record requests) masked by the one rule (qualite/pilotage/anonymat.py).
    The commission's own work (sessions, recommendations) is not about people: shown exactly."""
    r = d["reclamations"]
    natures = masquer_bloc([n for _, n in r["par_nature"]], total=r["total"])
    categories = masquer_bloc([c["n"] for c in r["par_categorie"]], total=r["total"])
    dossiers = d["dossiers"]
    reclamations = {
        **r, "total": natures.total,
        "par_nature": [(lib, n) for (lib, _), n in zip(r["par_nature"], natures.valeurs, strict=True)],
        "par_categorie": [dict(c, n=n) for c, n in zip(r["par_categorie"], categories.valeurs, strict=True)],
        "mediations": {k: masquer(v) for k, v in r["mediations"].items()},
    }
    hors_delai = (dossiers["repondues"] or 0) - (dossiers["dans_delai"] or 0)
    dossiers = {
        **dossiers, "total": masquer(dossiers["total"]), "plus_5_ans": masquer(dossiers["plus_5_ans"]),
        # a share gives back its numerator when 1 or 2 requests were (or were not) answered in time
        "part_dans_delai": None if petit(dossiers["dans_delai"]) or petit(hors_delai) else dossiers["part_dans_delai"],
    }
    return {**d, "reclamations": reclamations, "dossiers": dossiers}


def seances_planifiees(etablissements: list[int], annee: int) -> list[tuple[str, int]]:
    """(établissement, sessions not cancelled in the year) for each établissement: two queries whatever their number."""
    from django.db.models import Count

    from qualite.organisation.models import Etablissement

    comptes = dict(
        SeanceCDU.objects.filter(etablissement_id__in=etablissements, date__year=annee)
        .exclude(statut=SeanceCDU.Statut.ANNULEE).values_list("etablissement_id").annotate(n=Count("id")).order_by()
    )
    return [(nom, comptes.get(pk, 0))
            for pk, nom in Etablissement.objects.filter(pk__in=etablissements).order_by("nom").values_list("pk", "nom")]
