"""The reference data lives in code and is copied into the database after every `migrate`, idempotently."""

import pytest
from django.core.management import call_command

from evenements.models import TypeEvenement
from qualite.echeances.models import RegleEcheance
from qualite.echeances.referentiels import tout_synchroniser
from usagers.relations.models import ModeleLettre, QuestionDialogue

pytestmark = pytest.mark.django_db


def _compte():
    return (RegleEcheance.objects.count(), TypeEvenement.objects.count(), ModeleLettre.objects.count(),
            QuestionDialogue.objects.count())


def test_la_base_de_test_porte_les_referentiels_de_chaque_module():
    modules = set(RegleEcheance.objects.values_list("module", flat=True))
    assert modules == {"Soins sans consentement", "Relations avec les usagers", "Évènements indésirables", "PAQSS"}
    assert RegleEcheance.objects.filter(code="ssc-isolement-saisine-7j", delai__isnull=False).exists()
    assert TypeEvenement.objects.filter(libelle="Chute").exists()
    assert QuestionDialogue.objects.exists()


def test_synchroniser_deux_fois_ne_double_rien():
    avant = _compte()
    tout_synchroniser()
    tout_synchroniser()
    assert _compte() == avant


def test_migrate_remet_une_regle_modifiee_ou_supprimee_et_garde_les_lettres_editees():
    RegleEcheance.objects.filter(code="eigs-partie2").delete()
    RegleEcheance.objects.filter(code="ssc-saisine-juge").update(libelle="modifié à la main")
    ModeleLettre.objects.filter(type="accuse").update(objet="Objet choisi par l'établissement")
    call_command("migrate", verbosity=0)
    assert RegleEcheance.objects.get(code="eigs-partie2").delai_mois == 3
    assert RegleEcheance.objects.get(code="ssc-saisine-juge").libelle == "Saisine du juge (8 jours)"
    assert ModeleLettre.objects.get(type="accuse").objet == "Objet choisi par l'établissement"
