"""Pages of the meeting spaces: happy paths, wrong method, refused role (403), other établissement or other
service (404), double click on « decision → action », PDFs by their text, query counts of the lists."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from qualite.espaces.models import DecisionReunion, EspaceEchanges, ReunionEspace
from qualite.organisation.models import AuditEntry
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db


def _pdf_texte(response) -> str:
    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_la_liste_montre_les_espaces_du_perimetre(client_de, monde, espace_a, espace_b, reunions_a):
    page = texte(client_de(monde.users["cadre_pole"]).get(reverse("espaces:liste")))
    assert "Espace Cardiologie A" in page and "Espace Cardiologie B" not in page


def test_la_liste_a_un_nombre_de_requetes_fixe(client_de, monde, espace_a, django_assert_max_num_queries):
    from qualite.espaces.tests.factories import EspaceFactory

    for i in range(5):
        EspaceFactory(nom=f"Espace {i}", service=monde.service_a, services=[monde.service_a],
                      binome_medecin=monde.users["psychiatre"], binome_cadre=monde.users["cadre_pole"])
    client = client_de(monde.users["gestionnaire_risques"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("espaces:liste")).status_code == 200


def test_la_fiche_a_un_nombre_de_requetes_fixe(client_de, monde, espace_a, reunions_a, django_assert_max_num_queries):
    from qualite.espaces import services

    services.reunions_planifier(espace=espace_a, dates=[timezone.localdate() + timedelta(days=d) for d in (40, 70, 100)],
                                par=monde.users["cadre_pole"])
    client = client_de(monde.users["cadre_pole"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("espaces:detail", args=[espace_a.pk])).status_code == 200


def test_la_page_de_reunion_a_un_nombre_de_requetes_fixe(client_de, monde, reunions_a, django_assert_max_num_queries):
    from qualite.espaces import services

    cadre = monde.users["cadre_pole"]
    for i in range(5):
        services.element_ajouter(reunion=reunions_a[1], titre=f"Point {i}", resume="", par=cadre)
        services.decision_ajouter(reunion=reunions_a[1], texte=f"Décision {i}", par=cadre, responsable=cadre)
    client = client_de(cadre)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("espaces:reunion", args=[reunions_a[1].pk])).status_code == 200


@pytest.mark.parametrize("role", ["declarant", "membre_cdu", "representant_usagers", "relations_usagers"])
def test_les_roles_sans_permission_recoivent_403(client_de, monde, espace_a, reunions_a, role):
    client = client_de(monde.users[role])
    assert client.get(reverse("espaces:liste")).status_code == 403
    assert client.get(reverse("espaces:detail", args=[espace_a.pk])).status_code == 403
    assert client.get(reverse("espaces:reunion", args=[reunions_a[0].pk])).status_code == 403


def test_l_autre_etablissement_recoit_404(client_de, monde, espace_a, reunions_a):
    client = client_de(monde.user_b)
    assert client.get(reverse("espaces:detail", args=[espace_a.pk])).status_code == 404
    assert client.get(reverse("espaces:bilan", args=[espace_a.pk])).status_code == 404
    assert client.get(reverse("espaces:reunion_pdf", args=[reunions_a[0].pk])).status_code == 404
    assert client.post(reverse("espaces:ordre_du_jour", args=[reunions_a[0].pk])).status_code == 404


def test_le_binome_d_un_autre_service_recoit_404(client_de, monde, espace_a, reunions_a):
    from qualite.organisation.tests.factories import UtilisateurFactory

    psy_a2 = UtilisateurFactory(roles=["psychiatre"], etablissements=[monde.etab_a], pole=monde.pole_a2,
                                service=monde.service_a2)
    cadre_a2 = UtilisateurFactory(roles=["cadre_pole"], etablissements=[monde.etab_a], pole=monde.pole_a2)
    for user in (psy_a2, cadre_a2):
        client = client_de(user)
        assert client.get(reverse("espaces:detail", args=[espace_a.pk])).status_code == 404
        assert client.get(reverse("espaces:compte_rendu", args=[reunions_a[0].pk])).status_code == 404


def test_la_direction_voit_mais_n_anime_pas(client_de, monde, espace_a, reunions_a):
    client = client_de(monde.users["direction"])
    assert client.get(reverse("espaces:detail", args=[espace_a.pk])).status_code == 200
    assert client.post(reverse("espaces:planifier", args=[espace_a.pk]), {}).status_code == 403
    assert client.post(reverse("espaces:ordre_du_jour", args=[reunions_a[0].pk])).status_code == 403


def test_mauvaise_methode(client_de, monde, espace_a, reunions_a):
    client = client_de(monde.users["cadre_pole"])
    assert client.get(reverse("espaces:ordre_du_jour", args=[reunions_a[0].pk])).status_code == 405
    assert client.delete(reverse("espaces:detail", args=[espace_a.pk])).status_code == 405
    assert client.put(reverse("espaces:compte_rendu", args=[reunions_a[0].pk])).status_code == 405


def test_creer_un_espace_puis_rejouer_ne_cree_pas_de_doublon(client_de, monde):
    client = client_de(monde.users["gestionnaire_risques"])
    page = client.get(reverse("espaces:nouveau"))
    cle = page.context["form"]["cle_creation"].value()
    donnees = {"nom": "Espace Cardio", "etablissement": monde.etab_a.pk, "pole": monde.pole_a.pk,
               "services": [monde.service_a.pk], "binome_medecin": monde.users["psychiatre"].pk,
               "binome_cadre": monde.users["cadre_pole"].pk, "actif": "on", "cle_creation": cle}
    r1 = client.post(reverse("espaces:nouveau"), donnees)
    r2 = client.post(reverse("espaces:nouveau"), donnees)
    espace = EspaceEchanges.objects.get(nom="Espace Cardio")
    assert r1["Location"] == r2["Location"] == reverse("espaces:detail", args=[espace.pk])
    assert AuditEntry.objects.filter(action="creation", object_id=str(espace.pk)).count() == 1


def test_un_espace_invalide_n_enregistre_rien_et_explique(client_de, monde):
    client = client_de(monde.users["gestionnaire_risques"])
    r = client.post(reverse("espaces:nouveau"), {
        "nom": "Espace", "etablissement": monde.etab_a.pk, "pole": monde.pole_a.pk,
        "services": [monde.service_a2.pk], "binome_medecin": monde.users["psychiatre"].pk,
        "binome_cadre": monde.users["psychiatre"].pk})
    page = texte(r)
    assert r.status_code == 200 and not EspaceEchanges.objects.exists()
    assert "Choisissez des services du pôle de l'espace." in page
    assert "Le binôme réunit deux personnes" in page
    assert "Rien n'a été enregistré" in page


def test_planifier_plusieurs_dates_en_une_fois(client_de, monde, espace_a):
    client = client_de(monde.users["cadre_pole"])
    jour = timezone.localdate() + timedelta(days=10)
    r = client.post(reverse("espaces:planifier", args=[espace_a.pk]),
                    {"date_1": jour.isoformat(), "date_2": (jour + timedelta(days=90)).isoformat()})
    assert r.status_code == 302 and espace_a.reunions.count() == 2
    r = client.post(reverse("espaces:planifier", args=[espace_a.pk]),
                    {"date_1": (jour + timedelta(days=30)).isoformat(), "date_2": jour.isoformat()})
    assert r.status_code == 200 and espace_a.reunions.count() == 2
    assert "Une réunion est déjà prévue le" in texte(r)
    r = client.post(reverse("espaces:planifier", args=[espace_a.pk]), {"date_1": "31/02/2026"})
    assert r.status_code == 200 and "Saisissez une date valide" in texte(r)


def test_decision_en_action_au_double_clic_une_seule_action(client_de, monde, reunions_a):
    client = client_de(monde.users["cadre_pole"])
    reunion = reunions_a[0]
    r = client.post(reverse("espaces:decision_ajouter", args=[reunion.pk]),
                    {"texte": "Afficher la check-list en salle de soins", "service": monde.service_a.pk})
    assert r.status_code == 302
    decision = DecisionReunion.objects.get()
    url = reverse("espaces:decision_action", args=[decision.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert ActionAmelioration.objects.filter(titre="Afficher la check-list en salle de soins").count() == 1
    page = texte(client.get(reverse("espaces:reunion", args=[reunion.pk])))
    assert f"action n° {DecisionReunion.objects.get().action_id} du plan d'actions" in page


def test_une_decision_vide_est_refusee_sous_le_champ(client_de, monde, reunions_a):
    r = client_de(monde.users["cadre_pole"]).post(reverse("espaces:decision_ajouter", args=[reunions_a[0].pk]),
                                                  {"texte": ""})
    assert r.status_code == 400 and "Ce champ est obligatoire." in texte(r)
    assert not DecisionReunion.objects.exists()


def test_compte_rendu_puis_pdf(client_de, monde, reunions_a):
    cadre, psy, ru = monde.users["cadre_pole"], monde.users["psychiatre"], monde.users["representant_usagers"]
    ru.etablissements.set([monde.etab_a])
    client = client_de(cadre)
    reunion = reunions_a[0]
    client.post(reverse("espaces:element_ajouter", args=[reunion.pk]), {"titre": "Projet d'accueil des familles"})
    r = client.post(reverse("espaces:compte_rendu", args=[reunion.pk]), {
        "compte_rendu": "Les évènements du mois ont été revus.", f"membre_{psy.pk}": "present",
        f"membre_{cadre.pk}": "excuse", "representants": [ru.pk], "patients_partenaires": "Mme Partenaire",
        "valider": "on", "revision": reunion.revision})
    assert r.status_code == 302, texte(r)
    reunion.refresh_from_db()
    assert reunion.statut == ReunionEspace.Statut.TENUE
    pdf = _pdf_texte(client.get(reverse("espaces:reunion_pdf", args=[reunion.pk])))
    for attendu in ("Compte rendu de la réunion du", "Projet d'accueil des familles", "Les évènements du mois",
                    "Mme Partenaire", "Patient partenaire invité", "Représentant des usagers invité"):
        assert attendu in pdf, attendu
    assert client.get(reverse("espaces:compte_rendu", args=[reunion.pk])).status_code == 302  # no longer editable


def test_bilan_page_et_pdf(client_de, monde, reunions_a):
    from qualite.espaces import services

    cadre = monde.users["cadre_pole"]
    services.compte_rendu_enregistrer(reunion=reunions_a[0], par=cadre, compte_rendu="CR", valider=True,
                                      presences=[{"utilisateur": cadre}])
    annee = reunions_a[0].date.year
    client = client_de(monde.users["gestionnaire_risques"])
    page = texte(client.get(reverse("espaces:bilan", args=[reunions_a[0].espace_id]), {"annee": annee}))
    assert "Réunions tenues : 1 sur" in page
    pdf = _pdf_texte(client.get(reverse("espaces:bilan", args=[reunions_a[0].espace_id]),
                                {"annee": annee, "format": "pdf"}))
    assert f"Bilan annuel {annee}" in pdf and "Réunions tenues : 1 sur" in pdf
    assert client.get(reverse("espaces:bilan", args=[reunions_a[0].espace_id]), {"annee": "²"}).status_code == 200


def test_la_lecture_d_une_reunion_est_tracee(client_de, monde, reunions_a):
    client_de(monde.users["direction"]).get(reverse("espaces:reunion", args=[reunions_a[0].pk]))
    assert AuditEntry.objects.filter(action="lecture", object_id=str(reunions_a[0].pk),
                                     utilisateur=monde.users["direction"]).exists()
