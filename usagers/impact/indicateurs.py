"""The representatives' indicators drawn from the user-relations registers, registered in the core's
registry (qualite/pilotage/indicateurs_ru.py). Each is one grouped SQL query for all years and members."""

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from qualite.pilotage.indicateurs_ru import Comptes, Indicateur, enregistrer


def _compter(qs: QuerySet, *, membre: str, date: str, compte: str = "pk") -> Comptes:
    from usagers.relations.models import MembreCDU

    lignes = (qs.filter(**{f"{membre}__role__in": MembreCDU.ROLES_RU})
              .annotate(annee_=ExtractYear(date)).values(membre, "annee_")
              .annotate(n=Count(compte, distinct=True)).order_by())
    return {(r[membre], r["annee_"]): r["n"] for r in lignes}


def seances(*, annees, etablissements) -> Comptes:
    from usagers.relations.models import SeanceCDU

    presences = SeanceCDU.presents.through.objects.filter(
        seancecdu__statut=SeanceCDU.Statut.TENUE, seancecdu__etablissement_id__in=etablissements,
        seancecdu__date__year__in=annees)
    return _compter(presences, membre="membrecdu", date="seancecdu__date", compte="seancecdu")


def reclamations_suivies(*, annees, etablissements) -> Comptes:
    from usagers.relations.models import Reclamation

    qs = Reclamation.objects.non_archivees().filter(etablissement_id__in=etablissements, recue_le__year__in=annees)
    return _compter(qs, membre="ru_referent", date="recue_le")


def mediations(*, annees, etablissements) -> Comptes:
    from usagers.relations.models import Reclamation

    qs = Reclamation.objects.non_archivees().filter(etablissement_id__in=etablissements, rencontre_le__year__in=annees,
                                                    mediation_refusee=False)
    return _compter(qs, membre="ru_accompagnant", date="rencontre_le")


def _recommandations(annees, etablissements, **filtre) -> Comptes:
    from usagers.relations.models import RecommandationCDU

    qs = RecommandationCDU.objects.filter(seance__etablissement_id__in=etablissements, seance__date__year__in=annees,
                                          **filtre)
    return _compter(qs, membre="proposee_par", date="seance__date")


def recommandations(*, annees, etablissements) -> Comptes:
    return _recommandations(annees, etablissements)


def actions_issues(*, annees, etablissements) -> Comptes:
    return _recommandations(annees, etablissements, action__isnull=False)


def actions_realisees(*, annees, etablissements) -> Comptes:
    from qualite.paqss.models import ActionAmelioration

    return _recommandations(annees, etablissements, action__statut=ActionAmelioration.Statut.REALISEE)


def entretiens(*, annees, etablissements) -> Comptes:
    from usagers.relations.models import EntretienDialogue

    presences = EntretienDialogue.ru_presents.through.objects.filter(
        entretiendialogue__campagne__etablissement_id__in=etablissements, entretiendialogue__date__year__in=annees)
    return _compter(presences, membre="membrecdu", date="entretiendialogue__date", compte="entretiendialogue")


def enregistrer_indicateurs() -> None:
    for ordre, (code, libelle, definition, fonction) in enumerate([
        ("seances", "Séances de la CDU présentes",
         "Séances de la CDU tenues dans l'année où le représentant figure parmi les présents "
         "(séances planifiées ou annulées exclues).", seances),
        ("reclamations_suivies", "Réclamations suivies",
         "Plaintes, réclamations et éloges reçus dans l'année dont le représentant est « représentant des usagers qui "
         "suit le dossier » (champ de la fiche réclamation ; réclamations archivées exclues).", reclamations_suivies),
        ("mediations", "Médiations assistées",
         "Rencontres avec un médiateur tenues dans l'année où le représentant accompagnait le plaignant "
         "(rencontres refusées exclues).", mediations),
        ("recommandations", "Recommandations faites",
         "Recommandations de la CDU proposées par le représentant, comptées l'année de leur séance.", recommandations),
        ("actions_issues", "Actions PAQSS issues de ses recommandations",
         "Parmi ses recommandations de l'année, celles devenues une action du programme d'actions.", actions_issues),
        ("actions_realisees", "Actions PAQSS réalisées",
         "Parmi ses recommandations de l'année, celles dont l'action est au statut « Réalisée » aujourd'hui.",
         actions_realisees),
        ("entretiens", "Entretiens du dialogue sécurité des patients",
         "Entretiens du kit national tenus dans l'année où le représentant était présent.", entretiens),
    ], start=1):
        enregistrer(Indicateur(code, libelle, definition, fonction, ordre * 10))
