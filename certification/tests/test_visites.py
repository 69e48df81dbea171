"""Certification visits: dates, findings per criterion, decision, conditions followed as PAQSS actions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certification import services
from certification.models import ConditionVisite, ConstatVisite, VisiteCertification
from certification.tests.factories import CritereFactory, ReferentielFactory
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref():
    r = ReferentielFactory(version="2025")
    CritereFactory(referentiel=r, code="EX-1", type="imperatif")
    CritereFactory(referentiel=r, code="EX-2")
    return r


def creer(client, monde, ref, **extra):
    donnees = {"etablissement": monde.etab_a.pk, "referentiel": ref.pk, "type": "certification",
               "date_debut": "2026-05-04", "date_fin": "2026-05-07", "experts": "Dr Expert", **extra}
    return client.post(reverse("certification:visite_nouvelle"), donnees)


def test_le_gestionnaire_enregistre_une_visite_et_sa_decision(monde, client_de, ref):
    client = client_de(monde.users["gestionnaire_risques"])
    reponse = creer(client, monde, ref)
    visite = VisiteCertification.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == reverse("certification:visite", args=[visite.pk])
    assert visite.created_by == monde.users["gestionnaire_risques"] and visite.decision == ""
    reponse = client.post(reverse("certification:visite_modifier", args=[visite.pk]), {
        "type": "certification", "date_debut": "2026-05-04", "date_fin": "2026-05-07", "experts": "Dr Expert",
        "decision": "conditions", "decision_le": "2026-09-15", "revision": visite.revision})
    assert reponse.status_code == 302
    visite.refresh_from_db()
    assert visite.get_decision_display() == "Certifié sous conditions" and visite.revision == 2
    page = client.get(reverse("certification:visite", args=[visite.pk])).content.decode()
    assert "Certifié sous conditions" in page and "Ajouter une condition" in page


def test_les_erreurs_sont_en_francais_sous_le_champ(monde, client_de, ref):
    client = client_de(monde.users["gestionnaire_risques"])
    page = creer(client, monde, ref, date_fin="2026-05-01", decision="certifie")
    assert page.status_code == 200 and not VisiteCertification.objects.exists()
    erreurs = page.context["form"].errors
    assert "La fin ne peut précéder le début (04/05/2026)." in erreurs["date_fin"]
    assert "Indiquez la date de la décision." in erreurs["decision_le"]


def test_une_modification_perimee_est_refusee(monde, client_de, ref):
    client = client_de(monde.users["gestionnaire_risques"])
    creer(client, monde, ref)
    visite = VisiteCertification.objects.get()
    services.visite_enregistrer(par=monde.users["administrateur"], visite=visite, donnees={"experts": "Autre"})
    page = client.post(reverse("certification:visite_modifier", args=[visite.pk]), {
        "type": "suivi", "date_debut": "2026-05-04", "date_fin": "2026-05-07", "experts": "Dr Expert", "revision": 1})
    assert page.status_code == 200 and "Modifié entre-temps" in page.content.decode()
    visite.refresh_from_db()
    assert visite.type == "certification" and visite.experts == "Autre"


def test_un_constat_par_critere_remplace_le_precedent_en_connaissance_de_cause(monde, client_de, ref):
    client = client_de(monde.users["gestionnaire_risques"])
    creer(client, monde, ref)
    visite = VisiteCertification.objects.get()
    critere = ref.criteres.get(code="EX-1")
    url = reverse("certification:visite_constat", args=[visite.pk])
    client_de(monde.users["administrateur"]).post(url, {
        "constat-critere": critere.pk, "constat-appreciation": "partiel", "constat-constat": "Traçabilité incomplète"})
    # A colleague enters a finding on the same criterion from a page loaded before: refused, the first one shown.
    saisie = {"constat-critere": critere.pk, "constat-appreciation": "non_atteint", "constat-constat": "Écart confirmé"}
    page = client.post(url, saisie)
    contenu = page.content.decode()
    assert page.status_code == 200 and "Modifié entre-temps par" in contenu and "Traçabilité incomplète" in contenu
    assert ConstatVisite.objects.get().constat == "Traçabilité incomplète"
    # Sent again from that page (it now carries the finding's revision): replaced.
    assert 'name="constat-revision" value="1"' in contenu
    assert client.post(url, {**saisie, "constat-revision": 1}).status_code == 302
    constat = ConstatVisite.objects.get()
    assert (constat.appreciation, constat.constat) == ("non_atteint", "Écart confirmé")
    autre = CritereFactory(referentiel=ReferentielFactory(version="autre", actif=False), code="EX-9")
    page = client.post(url, {"constat-critere": autre.pk, "constat-appreciation": "atteint"})
    assert page.status_code == 200 and page.context["constat_form"].errors["critere"]


def test_une_condition_devient_une_action_du_paqss_avec_son_echeance(monde, client_de, ref):
    client = client_de(monde.users["gestionnaire_risques"])
    u = monde.users["gestionnaire_risques"]
    visite = services.visite_enregistrer(par=u, donnees={
        "etablissement": monde.etab_a, "referentiel": ref, "date_debut": date(2026, 5, 4), "date_fin": date(2026, 5, 7),
        "decision": "conditions", "decision_le": date(2026, 9, 15)})
    critere = ref.criteres.get(code="EX-1")
    saisie = {"condition-libelle": "Sécuriser la prise en charge médicamenteuse", "condition-critere": critere.pk,
              "condition-echeance": "2027-03-31", "condition-responsable": monde.users["cadre_pole"].pk,
              "condition-cle_creation": "6f1c1b9e-8d55-4a53-9d1e-3f3b2a0c9e11"}
    reponse = client.post(reverse("certification:visite_condition", args=[visite.pk]), saisie)
    assert reponse.status_code == 302
    # A double click: the same form again files nothing more.
    assert client.post(reverse("certification:visite_condition", args=[visite.pk]), saisie).status_code == 302
    assert ActionAmelioration.objects.count() == 1
    condition = ConditionVisite.objects.get()
    action = condition.action
    assert action.origine == ActionAmelioration.Origine.CERTIFICATION and action.echeance == date(2027, 3, 31)
    assert action.etablissement == monde.etab_a and action.source == visite
    assert action.responsable == monde.users["cadre_pole"]
    assert "Sécuriser la prise en charge médicamenteuse" in action.titre
    page = client.get(reverse("certification:visite", args=[visite.pk])).content.decode()
    assert "31/03/2027" in page and reverse("qualite:action_detail", args=[action.pk]) in page
    # With conditions, the decision cannot silently become another one.
    with pytest.raises(ValidationError):
        services.visite_enregistrer(par=u, visite=visite, donnees={"decision": "certifie"})


def test_pas_de_condition_sans_decision_sous_conditions(monde, client_de, ref):
    client = client_de(monde.users["gestionnaire_risques"])
    creer(client, monde, ref)
    visite = VisiteCertification.objects.get()
    page = client.post(reverse("certification:visite_condition", args=[visite.pk]),
                       {"condition-libelle": "X", "condition-echeance": "2027-01-01"})
    assert page.status_code == 200 and page.context["condition_form"].non_field_errors() == [
        "Des conditions ne s'ajoutent qu'à une décision « certifié sous conditions »."]
    assert not ActionAmelioration.objects.exists()
    page = client.post(reverse("certification:visite_condition", args=[visite.pk]),
                       {"condition-libelle": "", "condition-echeance": ""})
    assert page.status_code == 200 and page.context["condition_form"].errors["libelle"]
    assert not ConditionVisite.objects.exists()


def test_les_roles_et_les_etablissements(monde, client_de, ref):
    visite = services.visite_enregistrer(par=monde.users["administrateur"], donnees={
        "etablissement": monde.etab_b, "referentiel": ref, "date_debut": date(2026, 5, 4), "date_fin": date(2026, 5, 7)})
    gestionnaire_a = client_de(monde.users["gestionnaire_risques"])
    assert gestionnaire_a.get(reverse("certification:visite", args=[visite.pk])).status_code == 404
    assert creer(gestionnaire_a, monde, ref, etablissement=monde.etab_b.pk).status_code == 200
    assert VisiteCertification.objects.count() == 1
    direction = client_de(monde.users["direction"])
    assert direction.get(reverse("certification:visites")).status_code == 200
    assert direction.get(reverse("certification:visite_nouvelle")).status_code == 403
    assert client_de(monde.users["declarant"]).get(reverse("certification:visites")).status_code == 403
    assert client_de(monde.users["gestionnaire_risques"]).get(reverse("certification:visite_constat",
                                                                      args=[visite.pk])).status_code == 405


def test_la_liste_des_visites_a_un_nombre_de_requetes_fixe(monde, client_de, ref, django_assert_max_num_queries):
    for i in range(5):
        services.visite_enregistrer(par=monde.users["administrateur"], donnees={
            "etablissement": monde.etab_a, "referentiel": ref, "date_debut": date(2026, 1, 1 + i),
            "date_fin": date(2026, 1, 2 + i)})
    client = client_de(monde.users["gestionnaire_risques"])
    client.get(reverse("certification:visites"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("certification:visites"))
    assert page.content.decode().count("Visite de certification du") == 5
