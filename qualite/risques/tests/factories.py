import factory
from factory.django import DjangoModelFactory

from qualite.risques.models import FamilleRisque, Risque


class FamilleFactory(DjangoModelFactory):
    class Meta:
        model = FamilleRisque
        skip_postgeneration_save = True

    libelle = factory.Sequence(lambda n: f"Famille {n}")

    @factory.post_generation
    def types_evenement(self, create, extracted, **kwargs):
        if create and extracted:
            self.types_evenement.set(extracted)


class RisqueFactory(DjangoModelFactory):
    class Meta:
        model = Risque

    titre = factory.Sequence(lambda n: f"Risque {n}")
    famille = factory.LazyAttribute(lambda o: FamilleFactory(etablissement=o.etablissement))
