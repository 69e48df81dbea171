"""Two managers on one suggestion, a double click on « Ajouter l'action »: no silent overwrite, no double."""

import uuid

import pytest
from django.urls import reverse

from conftest import texte
from evenements.models import TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.organisation.models import AuditEntry
from qualite.paqss.models import ActionAmelioration
from qualite.risques import services
from qualite.risques.models import RisqueEvenement
from qualite.risques.tests.factories import FamilleFactory, RisqueFactory

pytestmark = pytest.mark.django_db


def _suggestion(monde):
    chute = TypeEvenement.objects.get(libelle="Chute")
    risque = RisqueFactory(etablissement=monde.etab_a, famille=FamilleFactory(etablissement=monde.etab_a,
                                                                              types_evenement=[chute]))
    EvenementFactory(service=monde.service_a, type=chute)
    services.suggestions_actualiser(user=monde.users["gestionnaire_risques"],
                                    etablissements=frozenset({monde.etab_a.pk}))
    return risque, RisqueEvenement.objects.get(risque=risque)


def test_une_decision_prise_sur_une_page_perimee_n_ecrase_pas_celle_d_un_autre(monde, client_de):
    from qualite.organisation.tests.factories import UtilisateurFactory

    risque, lien = _suggestion(monde)
    collegue = UtilisateurFactory(username="gdr2", roles=["gestionnaire_risques"], etablissements=[monde.etab_a])
    url = reverse("risques:evenement_decider", args=[risque.pk, lien.pk])
    page = texte(client_de(monde.users["gestionnaire_risques"]).get(reverse("risques:suggestions")))
    assert f'name="revision" value="{lien.revision}"' in page
    client_de(collegue).post(url, {"decision": "confirmer", "revision": lien.revision})
    r = client_de(monde.users["gestionnaire_risques"]).post(
        url, {"decision": "ecarter", "revision": lien.revision, "retour": "suggestions"}, follow=True)
    lien.refresh_from_db()
    assert (lien.statut, lien.confirme_par) == (RisqueEvenement.Statut.CONFIRME, collegue)
    assert "Modifié entre-temps par" in texte(r) and "rien n'a été enregistré" in texte(r)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MODIFICATION, details__decision="ecarter").count() == 0


def test_un_double_clic_sur_ajouter_l_action_ne_cree_qu_une_action(monde, client_de):
    risque = RisqueFactory(etablissement=monde.etab_a)
    client = client_de(monde.users["gestionnaire_risques"])
    url = reverse("risques:action_ajouter", args=[risque.pk])
    assert 'name="cle_creation"' in texte(client.get(reverse("risques:detail", args=[risque.pk])))
    donnees = {"titre": "Barrières de lit", "cle_creation": str(uuid.uuid4())}
    client.post(url, donnees)
    r = client.post(url, donnees, follow=True)
    assert ActionAmelioration.objects.filter(titre="Barrières de lit").count() == 1
    assert risque.liens_actions.count() == 1
    assert "déjà ajoutée par ce formulaire" in texte(r)
