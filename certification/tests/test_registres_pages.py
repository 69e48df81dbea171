"""Creating and editing audits, EPP, processes with their pilot pair, surveys and indicator definitions
from the pages: French errors under the field, stale edits refused, the dated history kept."""

from datetime import date

import pytest
from django.urls import reverse

from certification import services
from certification.models import EPP, Audit, EnqueteSatisfaction, Indicateur, Processus

pytestmark = pytest.mark.django_db


def nouveau(code):
    return reverse("certification:registre_nouveau", args=[code])


def modifier(code, pk):
    return reverse("certification:registre_modifier", args=[code, pk])


def test_le_gestionnaire_cree_un_processus_avec_son_binome_puis_change_le_binome(monde, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    medecin, cadre = monde.users["psychiatre"], monde.users["cadre_pole"]
    assert client.get(nouveau("processus")).status_code == 200
    reponse = client.post(nouveau("processus"), {
        "nom": "Prise en charge médicamenteuse", "etablissement": monde.etab_a.pk, "pilote_medical": medecin.pk,
        "pilote_soignant": cadre.pk, "actif": "on", "changement_le": "2025-02-01"})
    assert reponse.status_code == 302
    p = Processus.objects.get()
    assert p.created_by == monde.users["gestionnaire_risques"]
    assert [(x.du, x.au, x.binome) for x in p.periodes.all()] == [(date(2025, 2, 1), None, True)]
    reponse = client.post(modifier("processus", p.pk), {
        "nom": "Prise en charge médicamenteuse", "pilote_medical": monde.users["direction"].pk,
        "pilote_soignant": cadre.pk, "actif": "on", "changement_le": "2026-01-15", "revision": p.revision})
    assert reponse.status_code == 302
    assert [(x.du, x.au) for x in p.periodes.order_by("du")] == [(date(2025, 2, 1), date(2026, 1, 15)),
                                                                 (date(2026, 1, 15), None)]
    page = client.get(modifier("processus", p.pk)).content.decode()
    assert "Historique daté" in page and "du 01/02/2025 au 15/01/2026" in page


def test_un_pilote_d_un_autre_etablissement_est_refuse_en_francais(monde, client_de):
    client = client_de(monde.users["administrateur"])
    page = client.post(nouveau("processus"), {"nom": "X", "etablissement": monde.etab_a.pk,
                                              "pilote_medical": monde.user_b.pk, "changement_le": "2026-01-01"})
    assert page.status_code == 200 and not Processus.objects.exists()
    assert page.context["form"].errors["pilote_medical"]


def test_une_date_de_changement_anterieure_a_l_historique_est_refusee(monde, client_de):
    u = monde.users["gestionnaire_risques"]
    p = services.processus_enregistrer(par=u, le=date(2026, 3, 1), donnees={"nom": "Blocs", "etablissement": monde.etab_a})
    page = client_de(u).post(modifier("processus", p.pk), {
        "nom": "Blocs", "pilote_medical": monde.users["psychiatre"].pk, "actif": "on", "changement_le": "2026-01-01",
        "revision": p.revision})
    assert page.status_code == 200
    assert "ne peut précéder le 01/03/2026" in page.content.decode()


def test_une_epp_abandonnee_depuis_la_page_est_datee(monde, client_de):
    u = monde.users["gestionnaire_risques"]
    client = client_de(u)
    client.post(nouveau("epp"), {"theme": "Douleur", "pilotes": "Dr X", "etat": "en_cours",
                                 "etablissement": monde.etab_a.pk, "date_debut": "2025-03-01",
                                 "changement_le": "2025-03-01"})
    epp = EPP.objects.get()
    client.post(modifier("epp", epp.pk), {"theme": "Douleur", "pilotes": "Dr X", "etat": "abandonnee",
                                          "date_debut": "2025-03-01", "changement_le": "2026-02-10",
                                          "revision": epp.revision})
    assert [(s.etat, s.du) for s in epp.statuts.order_by("du")] == [("en_cours", date(2025, 3, 1)),
                                                                    ("abandonnee", date(2026, 2, 10))]


def test_audit_enquete_et_indicateur(monde, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    assert client.post(nouveau("audits"), {"titre": "Hygiène des mains", "date": "2026-04-01",
                                           "etablissement": monde.etab_a.pk, "service": monde.service_a.pk}).status_code == 302
    page = client.post(nouveau("enquetes"), {"type": "esatis", "titre": "e-Satis", "etablissement": monde.etab_a.pk,
                                             "periode_debut": "2026-06-30", "periode_fin": "2026-01-01", "reponses": 3})
    assert page.status_code == 200 and not EnqueteSatisfaction.objects.exists()
    assert client.post(nouveau("indicateurs"), {"code": "douleur", "libelle": "Douleur", "sens": "hausse",
                                                "actif": "on"}).status_code == 302
    ind = Indicateur.objects.get()
    page = client.post(nouveau("indicateurs"), {"code": "douleur", "libelle": "Autre", "sens": "hausse"})
    assert page.status_code == 200 and page.context["form"].errors["code"]
    assert Audit.objects.get().service == monde.service_a
    assert "modifier" in client.get(reverse("certification:indicateurs")).content.decode()
    assert client.get(modifier("indicateurs", ind.pk)).status_code == 200


def test_une_modification_perimee_est_refusee_avec_les_valeurs_de_l_autre(monde, client_de):
    u = monde.users["gestionnaire_risques"]
    a = services.registre_enregistrer(modele=Audit, par=u, donnees={"titre": "Audit", "date": date(2026, 1, 1),
                                                                    "etablissement": monde.etab_a})
    services.registre_enregistrer(modele=Audit, par=monde.users["administrateur"], objet=a, donnees={"titre": "Audit B"})
    page = client_de(u).post(modifier("audits", a.pk), {"titre": "Audit C", "date": "2026-01-01", "revision": 1})
    assert page.status_code == 200 and "Modifié entre-temps" in page.content.decode() and "Audit B" in page.content.decode()
    a.refresh_from_db()
    assert a.titre == "Audit B"


def test_roles_et_etablissements(monde, client_de):
    p = services.processus_enregistrer(par=monde.users["administrateur"], le=date(2026, 1, 1),
                                       donnees={"nom": "B", "etablissement": monde.etab_b})
    assert client_de(monde.users["gestionnaire_risques"]).get(modifier("processus", p.pk)).status_code == 404
    assert client_de(monde.users["direction"]).get(nouveau("audits")).status_code == 403
    assert client_de(monde.users["cadre_pole"]).get(nouveau("indicateurs")).status_code == 403
    assert client_de(monde.users["gestionnaire_risques"]).get(nouveau("inconnu")).status_code == 404
    page = client_de(monde.users["gestionnaire_risques"]).post(nouveau("audits"), {
        "titre": "X", "date": "2026-01-01", "etablissement": monde.etab_b.pk})
    assert page.status_code == 200 and not Audit.objects.exists()
