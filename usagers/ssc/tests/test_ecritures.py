"""Every write on an involuntary-care measure is named in the catalogue: the psychiatrist records
certificates and isolation decisions in his unit; the admissions office records the
administrative and judicial acts, the lifting and the cancellations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from usagers.ssc.models import ActeMesure, DecisionJugeIsolement, MesureIsolement

pytestmark = pytest.mark.django_db


def _fmt(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _acte(client, m, type_, heures=20, **kw):
    return client.post(reverse("usagers:ssc_acte", args=[m.pk]), {
        "acte-type": type_, "acte-date_heure": _fmt(m.t0 + timedelta(hours=heures)), "acte-auteur": "Dr Un", **kw})


@pytest.mark.parametrize("type_", ["decision_juge", "saisine_juge", "levee", "arrete_prefet_maintien"])
def test_le_psychiatre_n_enregistre_pas_les_actes_administratifs_ou_judiciaires(monde, client_de, admettre, type_):
    m = admettre("sdt")
    response = _acte(client_de(monde.users["psychiatre"]), m, type_)
    assert response.status_code == 200
    assert "Vous ne pouvez pas enregistrer ce type d'acte" in texte(response)
    assert not ActeMesure.objects.filter(mesure=m).exists()


def test_le_psychiatre_enregistre_un_certificat_de_son_unite(monde, client_de, admettre):
    m = admettre("sdt")
    response = _acte(client_de(monde.users["psychiatre"]), m, "certificat_24h", **{"acte-psychiatre_etablissement": "on", "acte-conclusion": "maintien"})
    assert response.status_code == 302
    assert ActeMesure.objects.get(mesure=m).type == "certificat_24h"


def test_le_psychiatre_ne_peut_ni_annuler_ni_saisir_la_decision_du_juge(monde, client_de, admettre):
    m = admettre("sdt")
    _acte(client_de(monde.users["bureau_admissions"]), m, "certificat_24h", **{"acte-psychiatre_etablissement": "on", "acte-conclusion": "maintien"})
    acte = ActeMesure.objects.get(mesure=m)
    psy = client_de(monde.users["psychiatre"])
    assert psy.post(reverse("usagers:ssc_acte_annuler", args=[m.pk, acte.pk]), {"motif": "erreur"}).status_code == 403
    assert psy.post(reverse("usagers:ssc_juge_isolement", args=[m.pk]), {}).status_code == 403
    assert psy.post(reverse("usagers:ssc_document", args=[m.pk]), {}).status_code == 403
    acte.refresh_from_db()
    assert not acte.annule and not DecisionJugeIsolement.objects.exists()


def test_la_fiche_ne_propose_au_psychiatre_que_ses_ecritures(monde, client_de, admettre):
    m = admettre("sdt")
    page = texte(client_de(monde.users["psychiatre"]).get(reverse("usagers:ssc_mesure", args=[m.pk])))
    # Its next moves are buttons (guided steps): the certificates are his, the saisine and the lifting are not.
    assert 'data-geste="certificat_24h"' in page and "Décider un isolement ou une contention" in page
    assert "Décision du juge sur l'isolement" not in page and "Ajouter une pièce" not in page
    assert 'data-geste="saisine_juge"' not in page and 'data-geste="levee"' not in page


def test_le_psychiatre_d_une_autre_unite_n_ecrit_rien(monde, client_de, admettre):
    m = admettre("sdt", service=monde.service_a2)
    double = UtilisateurFactory(roles=[Role.PSYCHIATRE, Role.DECLARANT], etablissements=[monde.etab_a],
                                pole=monde.pole_a, service=monde.service_a)
    assert _acte(client_de(double), m, "certificat_24h").status_code == 404
    assert not ActeMesure.objects.exists()


def test_le_psychiatre_decide_un_isolement_mais_l_administration_seule_le_lit(monde, client_de, admettre):
    m = admettre("sdt", t0=timezone.now() - timedelta(days=2))
    debut = timezone.now() - timedelta(hours=3)
    donnees = {"iso-type": "isolement", "iso-psychiatre": "Dr Un", "iso-debut": _fmt(debut),
               "iso-fin": _fmt(debut + timedelta(hours=2)), "iso-surveillance": "IDE", "iso-motif": "Agitation"}
    response = client_de(monde.users["psychiatre"]).post(reverse("usagers:ssc_isolement", args=[m.pk]), donnees)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert MesureIsolement.objects.filter(mesure=m).count() == 1
    direction_ssc = UtilisateurFactory(roles=[Role.BUREAU_ADMISSIONS], etablissements=[monde.etab_a])
    assert client_de(direction_ssc).get(reverse("usagers:ssc_isolement_modifier", args=[m.pk, MesureIsolement.objects.get().pk])).status_code == 200
