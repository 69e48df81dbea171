from datetime import date

import factory
from factory.django import DjangoModelFactory

from usagers.ssc.models import PatientSSC


class PatientFactory(DjangoModelFactory):
    class Meta:
        model = PatientSSC

    etablissement = None
    ipp = factory.Sequence(lambda n: f"IPP{n:07d}")
    nom = factory.Sequence(lambda n: f"Patient{n}")
    prenom = "Alex"
    date_naissance = date(1980, 5, 17)
