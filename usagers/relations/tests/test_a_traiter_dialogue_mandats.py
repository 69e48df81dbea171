"""« À traiter » of the user representatives and the user-relations office: a dialogue campaign's synthesis and
closing meeting once in their alert window, and the CDU seats whose mandate ends within three months."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qualite.organisation import a_traiter
from qualite.organisation.tests.factories import UtilisateurFactory
from usagers.relations import services
from usagers.relations.models import CampagneDialogue, MembreCDU

pytestmark = pytest.mark.django_db


def _lignes(user, code):
    lignes, _ = a_traiter.boite(user)
    return [li.element for li in lignes if li.source.code == code]


def _campagne(monde, fin, titre="Campagne de printemps"):
    return services.campagne_enregistrer(par=monde.users["relations_usagers"], campagne=CampagneDialogue(
        etablissement=monde.etab_a, titre=titre, debut=fin - timedelta(days=30), fin=fin))


def test_la_synthese_due_d_une_campagne_finie(monde):
    aujourdhui = timezone.localdate()
    _campagne(monde, aujourdhui - timedelta(days=40))  # synthesis due 1 month after the end: overdue
    _campagne(monde, aujourdhui, titre="Campagne qui s'achève")  # due in a month: not yet in its alert window
    for role in ("representant_usagers", "relations_usagers"):
        elements = _lignes(monde.users[role], "dialogue-campagnes")
        assert [e.reference for e in elements] == ["Dialogue — Campagne de printemps"], role
        assert elements[0].titre.startswith("Dialogue sécurité patients : synthèse") and elements[0].url
    for role in ("membre_cdu", "gestionnaire_risques", "direction"):
        assert _lignes(monde.users[role], "dialogue-campagnes") == [], role
    ru_b = UtilisateurFactory(username="ru_b", roles=["representant_usagers"], etablissements=[monde.etab_b])
    assert _lignes(ru_b, "dialogue-campagnes") == []  # another établissement's representative
    # Two roles: the representative who also manages risks sees the campaign once, beside the events.
    double = UtilisateurFactory(username="ru_qualite", roles=["representant_usagers", "gestionnaire_risques"],
                                etablissements=[monde.etab_a])
    assert [e.reference for e in _lignes(double, "dialogue-campagnes")] == ["Dialogue — Campagne de printemps"]


def test_la_synthese_ecrite_sort_de_la_boite(monde):
    campagne = _campagne(monde, timezone.localdate() - timedelta(days=70))  # synthesis and closing both overdue
    ru = monde.users["representant_usagers"]
    assert len(_lignes(ru, "dialogue-campagnes")) == 2
    services.campagne_enregistrer(par=monde.users["relations_usagers"], campagne=campagne,
                                  modifications={"synthese": "Trois constats partagés avec les équipes."})
    titres = [e.titre for e in _lignes(ru, "dialogue-campagnes")]
    assert len(titres) == 1 and "réunion de clôture" in titres[0]


def test_le_mandat_a_renouveler(monde):
    aujourdhui = timezone.localdate()
    proche = services.membre_enregistrer(par=monde.users["relations_usagers"], donnees={
        "etablissement": monde.etab_a, "nom": "Mme Arnaud", "role": MembreCDU.Role.RU_TITULAIRE,
        "debut_mandat": aujourdhui - timedelta(days=3 * 365), "fin_mandat": aujourdhui + timedelta(days=60)})
    services.membre_enregistrer(par=monde.users["relations_usagers"], donnees={
        "etablissement": monde.etab_a, "nom": "M. Blanc", "role": MembreCDU.Role.RU_SUPPLEANT,
        "debut_mandat": aujourdhui, "fin_mandat": aujourdhui + timedelta(days=3 * 365)})
    elements = _lignes(monde.users["relations_usagers"], "cdu-mandats")  # the seat renewed in 3 years: not yet
    assert len(elements) == 1 and proche.get_role_display() in elements[0].reference
    assert elements[0].echeance < timezone.now()  # 3 months before the term, already past
    for role in ("membre_cdu", "representant_usagers", "gestionnaire_risques"):
        assert _lignes(monde.users[role], "cdu-mandats") == [], role
