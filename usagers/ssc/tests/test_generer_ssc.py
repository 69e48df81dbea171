from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from qualite.echeances.models import Echeance
from qualite.organisation.models import Service
from usagers.ssc.models import ActeMesure, MesureSoinsSansConsentement

pytestmark = pytest.mark.django_db


def test_genere_des_mesures_actives_avec_leurs_echeances(monde):
    sortie = StringIO()
    call_command("generer_mesures_ssc", nombre=20, graine=42, stdout=sortie)  # a ValidationError would fail here
    mesures = MesureSoinsSansConsentement.objects.all()
    assert mesures.count() == 20
    assert not mesures.filter(levee_le__isnull=False).exists()
    ct = ContentType.objects.get_for_model(MesureSoinsSansConsentement)
    avec_echeances = set(Echeance.objects.filter(content_type=ct).values_list("object_id", flat=True))
    assert avec_echeances == set(mesures.values_list("pk", flat=True))
    assert set(mesures.values_list("created_by__username", flat=True)) == {"bureau_admissions"}
    assert ActeMesure.objects.filter(type="certificat_24h").exists()
    assert "20 mesures actives" in sortie.getvalue()


def test_meme_graine_memes_modes(monde):
    call_command("generer_mesures_ssc", nombre=5, graine=7, stdout=StringIO())
    modes = list(MesureSoinsSansConsentement.objects.order_by("id").values_list("mode", flat=True))
    call_command("generer_mesures_ssc", nombre=5, graine=7, stdout=StringIO())
    assert list(MesureSoinsSansConsentement.objects.order_by("id").values_list("mode", flat=True))[5:] == modes


def test_refuse_sans_service(db):
    Service.objects.all().delete()
    with pytest.raises(CommandError, match="Aucun service"):
        call_command("generer_mesures_ssc", nombre=1, stdout=StringIO())


def test_refuse_sans_compte_du_bureau_des_admissions(monde):
    monde.users["bureau_admissions"].roles = []
    monde.users["bureau_admissions"].save(update_fields=["roles"])
    with pytest.raises(CommandError, match="bureau des admissions"):
        call_command("generer_mesures_ssc", nombre=1, stdout=StringIO())
    assert not MesureSoinsSansConsentement.objects.exists()
