from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from evenements.models import EvenementIndesirable, TypeEvenement


class EvenementFactory(DjangoModelFactory):
    class Meta:
        model = EvenementIndesirable

    reference = factory.Sequence(lambda n: f"EI-T-{n:06d}")
    service = None
    pole = factory.LazyAttribute(lambda o: o.service.pole)
    etablissement = factory.LazyAttribute(lambda o: o.service.pole.etablissement)
    survenu_le = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    type = factory.LazyFunction(lambda: TypeEvenement.objects.order_by("ordre").first())
    description = "Chute d'un patient lors d'un transfert lit-fauteuil."
    personnes = factory.LazyFunction(lambda: ["patient"])
    gravite_estimee = 2
