import factory
from factory.django import DjangoModelFactory

from qualite.espaces.models import EspaceEchanges, ReunionEspace


class EspaceFactory(DjangoModelFactory):
    """A space for one service; binôme and établissement from the service unless given."""

    class Meta:
        model = EspaceEchanges
        skip_postgeneration_save = True

    class Params:
        service = None

    nom = factory.Sequence(lambda n: f"Espace qualité {n}")
    pole = factory.LazyAttribute(lambda o: o.service.pole)
    etablissement = factory.LazyAttribute(lambda o: o.pole.etablissement)

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)


class ReunionFactory(DjangoModelFactory):
    class Meta:
        model = ReunionEspace

    espace = factory.SubFactory(EspaceFactory)
