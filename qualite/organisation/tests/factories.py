import factory
from factory.django import DjangoModelFactory

from qualite.echeances.models import RegleEcheance
from qualite.organisation.models import GHT, Etablissement, Pole, Service, Utilisateur
from qualite.organisation.roles import Role
from qualite.paqss.models import ActionAmelioration


class GHTFactory(DjangoModelFactory):
    class Meta:
        model = GHT
        django_get_or_create = ["nom"]

    nom = factory.Sequence(lambda n: f"GHT {n}")


class EtablissementFactory(DjangoModelFactory):
    class Meta:
        model = Etablissement

    ght = factory.SubFactory(GHTFactory)
    nom = factory.Sequence(lambda n: f"Établissement {n}")


class PoleFactory(DjangoModelFactory):
    class Meta:
        model = Pole

    etablissement = factory.SubFactory(EtablissementFactory)
    nom = factory.Sequence(lambda n: f"Pôle {n}")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    pole = factory.SubFactory(PoleFactory)
    nom = factory.Sequence(lambda n: f"Service {n}")


class UtilisateurFactory(DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.invalid")
    roles = factory.LazyFunction(lambda: [Role.DECLARANT])
    password = factory.django.Password("motdepasse-test")

    @factory.post_generation
    def etablissements(self, create, extracted, **kwargs):
        if create and extracted:
            self.etablissements.set(extracted)


class RegleEcheanceFactory(DjangoModelFactory):
    class Meta:
        model = RegleEcheance
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"regle-{n}")
    module = "test"
    libelle = factory.Sequence(lambda n: f"Règle {n}")
    base_legale = "Art. test"
    roles = factory.LazyFunction(lambda: [Role.GESTIONNAIRE_RISQUES])


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = ActionAmelioration

    titre = factory.Sequence(lambda n: f"Action {n}")
    origine = ActionAmelioration.Origine.AXE
    service = None
    pole = factory.LazyAttribute(lambda o: o.service.pole if o.service else None)
    etablissement = factory.LazyAttribute(lambda o: o.pole.etablissement if o.pole else None)
