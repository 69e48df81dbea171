"""The reference data lives in code and is copied into the database after every `migrate`, idempotently."""

from datetime import timedelta

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
    assert modules == {"Soins sans consentement", "Relations avec les usagers", "Évènements indésirables", "PAQSS",
                       "Documents qualité", "Espaces d'échanges"}
    assert RegleEcheance.objects.filter(code="ssc-isolement-saisine-7j", delai__isnull=False).exists()
    assert TypeEvenement.objects.filter(libelle="Chute").exists()
    assert QuestionDialogue.objects.exists()


def test_synchroniser_deux_fois_ne_double_rien():
    avant = _compte()
    tout_synchroniser()
    tout_synchroniser()
    assert _compte() == avant


def test_migrate_recree_une_regle_supprimee_remet_son_libelle_et_garde_delais_et_lettres_edites():
    RegleEcheance.objects.filter(code="eigs-partie2").delete()
    RegleEcheance.objects.filter(code="ssc-saisine-juge").update(libelle="modifié à la main",
                                                                 delai=timedelta(days=9), a_verifier=True)
    ModeleLettre.objects.filter(type="accuse").update(objet="Objet choisi par l'établissement")
    call_command("migrate", verbosity=0)
    assert RegleEcheance.objects.get(code="eigs-partie2").delai_mois == 3
    saisine = RegleEcheance.objects.get(code="ssc-saisine-juge")
    assert saisine.libelle == "Saisine du juge (8 jours)"  # the wording comes from the code
    assert (saisine.delai, saisine.a_verifier) == (timedelta(days=9), True)  # the administrator's setting stays
    assert ModeleLettre.objects.get(type="accuse").objet == "Objet choisi par l'établissement"
