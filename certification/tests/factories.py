import datetime

import factory
from factory.django import DjangoModelFactory

from certification.models import Chapitre, Critere, Evaluation, Indicateur, Objectif, Referentiel, ValeurIndicateur


class ReferentielFactory(DjangoModelFactory):
    class Meta:
        model = Referentiel

    version = factory.Sequence(lambda n: f"EX-{n}")
    libelle = "Référentiel d'exemple"
    actif = True


class CritereFactory(DjangoModelFactory):
    """Fictitious criteria: the real texts come from the HAS publication, never from code."""

    class Meta:
        model = Critere

    referentiel = factory.SubFactory(ReferentielFactory)
    objectif = factory.LazyAttribute(lambda o: Objectif.objects.get_or_create(
        chapitre=Chapitre.objects.get_or_create(referentiel=o.referentiel, numero=1, defaults={"titre": "EXEMPLE chapitre"})[0],
        code="1.1", defaults={"titre": "EXEMPLE objectif"})[0])
    code = factory.Sequence(lambda n: f"EX-{n}")
    titre = "EXEMPLE — critère fictif"
    type = Critere.Type.STANDARD


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    methode = Evaluation.Methode.AUDIT_SYSTEME
    date = datetime.date(2026, 10, 1)
    service = None
    etablissement = factory.LazyAttribute(lambda o: o.service.pole.etablissement if o.service else None)
    evaluateurs = "Qualiticien"
    constats = "Traçabilité de la douleur incomplète."


class IndicateurFactory(DjangoModelFactory):
    class Meta:
        model = Indicateur

    code = factory.Sequence(lambda n: f"ind-{n}")
    libelle = factory.Sequence(lambda n: f"Indicateur {n}")
    unite = "%"
    cible = 80


class ValeurFactory(DjangoModelFactory):
    class Meta:
        model = ValeurIndicateur

    indicateur = factory.SubFactory(IndicateurFactory)
    periode = datetime.date(2026, 1, 1)
    valeur = 75
