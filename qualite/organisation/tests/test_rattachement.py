"""The one rule of a record's place: the same answer from every model and form that uses it."""

import pytest
from django.core.exceptions import ValidationError

from qualite.organisation.rattachement import (
    PERSONNE,
    POLE,
    SERVICE_ETABLISSEMENT,
    SERVICE_POLE,
    erreurs_de_rattachement,
)


def test_un_rattachement_juste_ne_donne_aucune_erreur(monde):
    assert erreurs_de_rattachement(monde.etab_a.pk, pole=monde.pole_a, service=monde.service_a,
                                   personnes={"responsable": monde.users["cadre_pole"]}) == {}


def test_chaque_lien_faux_a_son_message_sous_son_champ(monde):
    assert erreurs_de_rattachement(monde.etab_a.pk, pole=monde.pole_b) == {"pole": POLE}
    assert erreurs_de_rattachement(monde.etab_a.pk, pole=monde.pole_a, service=monde.service_a2) == {
        "service": SERVICE_POLE}
    assert erreurs_de_rattachement(monde.etab_a.pk, service=monde.service_b) == {"service": SERVICE_ETABLISSEMENT}
    assert erreurs_de_rattachement(monde.etab_a.pk, personnes={"pilote": monde.user_b, "autre": None}) == {
        "pilote": PERSONNE}
    # Without an établissement, only the service's pôle is checked.
    assert erreurs_de_rattachement(None, pole=monde.pole_a, service=monde.service_b) == {"service": SERVICE_POLE}


def test_les_modeles_appliquent_la_meme_regle(monde):
    from certification.models import Evaluation
    from qualite.paqss.models import ActionAmelioration
    from qualite.risques.tests.factories import RisqueFactory

    action = ActionAmelioration(titre="X", etablissement=monde.etab_a, service=monde.service_b)
    with pytest.raises(ValidationError) as exc:
        action.clean()
    assert exc.value.message_dict["service"] == [SERVICE_ETABLISSEMENT]
    risque = RisqueFactory.build(etablissement=monde.etab_a, pole=monde.pole_b)
    with pytest.raises(ValidationError) as exc:
        risque.clean()
    assert exc.value.message_dict["pole"] == [POLE]
    with pytest.raises(ValidationError) as exc:
        Evaluation(etablissement=monde.etab_a, service=monde.service_b).clean()
    assert exc.value.message_dict["service"] == [SERVICE_ETABLISSEMENT]


def test_l_api_refuse_un_responsable_d_un_autre_etablissement(monde):
    from qualite.paqss.api import ActionCreationForm

    form = ActionCreationForm(data={"titre": "X", "etablissement": monde.etab_a.pk,
                                    "responsable": monde.user_b.pk}, user=monde.users["gestionnaire_risques"])
    assert not form.is_valid() and form.errors["responsable"] == [PERSONNE]
