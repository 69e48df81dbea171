"""The API's matrix: for every user of the pages' leak matrix (each role, the double roles) and every
record of its data set (own pôle A, other pôle A2, other établissement B), the API answers exactly what the
page answers: the record's page 200 <-> the API's record 200 and present in the API's list; 404 <-> 404 and
absent; 403 <-> 403. Same rule, written once in the access helpers, seen from both sides."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from qualite.api.tests.conftest import ClientAPI
from qualite.organisation.tests.test_matrice_acces import CLES_UTILISATEURS, FUITE_B, FUITE_POLE, _client

UTILISATEURS = [c for c in CLES_UTILISATEURS if c != "anonyme"]

# API prefix -> (object type in the data set, the record's page, targets, the list pages). The API's list
# opens when one of its pages does: the event register, or « Mes déclarations » for a declarant.
FICHES = {
    "evenements": ("ev", "evenements:detail", ("A", "A2", "B"), ("evenements:liste", "evenements:mes_declarations")),
    "actions": ("action", "qualite:action_detail", ("A", "A2", "B"), ("qualite:programme",)),
    "reclamations": ("reclamation", "usagers:reclamation", ("A", "B"), ("usagers:reclamations",)),
    "demandes-dossier": ("dossier", "usagers:dossier", ("A", "B"), ("usagers:dossiers",)),
}
COUVERTS = {
    "api:schema", "api:docs",
    *(f"api:{b}-{s}" for b in ("evenement", "action", "reclamation", "demande_dossier") for s in ("list", "detail")),
    "api:echeance-list", "api:echeance-detail", "api:valeur_indicateur-list", "api:valeur_indicateur-detail",
    "api:indicateur-list", "api:indicateur-detail",
    # FHIR export of events: evenements/tests/test_fhir_matrice.py compares it with the pages' FHIR export
    "api:evenement-fhir", "api:evenement-fhir-lot",
}


def _noms_api() -> set[str]:
    for motif in get_resolver().url_patterns:
        if isinstance(motif, URLResolver) and motif.namespace == "api":
            return {f"api:{m.name}" for m in motif.url_patterns if isinstance(m, URLPattern) and m.name}
    return set()


def test_chaque_url_de_l_api_est_couverte_par_cette_matrice():
    assert _noms_api() == COUVERTS


def _ids(reponse) -> set[int]:
    return {ligne["id"] for ligne in reponse.json()["results"]}


@pytest.mark.parametrize("cle", UTILISATEURS)
def test_l_api_voit_exactement_ce_que_les_pages_montrent(db, jeu, cle):
    user = jeu.users[cle]
    page, api = _client(jeu, cle), ClientAPI(user)
    for prefixe, (type_, nom_page, cibles, listes) in FICHES.items():
        liste = api.get(f"/api/v1/{prefixe}/", {"taille": 200})
        pages = {page.get(reverse(nom)).status_code for nom in listes}
        assert pages <= {200, 403} and liste.status_code == (200 if 200 in pages else 403), (prefixe, pages, liste)
        ids = _ids(liste) if liste.status_code == 200 else set()
        if liste.status_code == 200:
            assert FUITE_B not in liste.content.decode(), prefixe
        for cible in cibles:
            objet = jeu.objets[type_, cible]
            attendu = page.get(reverse(nom_page, args=[objet.pk])).status_code
            assert attendu in (200, 403, 404), (nom_page, cible, attendu)
            fiche = api.get(f"/api/v1/{prefixe}/{objet.pk}/")
            assert fiche.status_code == attendu, f"{prefixe} {cible} : page {attendu}, API {fiche.status_code}"
            assert (objet.pk in ids) == (attendu == 200), f"{prefixe} {cible} : liste de l'API et page divergent"


@pytest.mark.parametrize("cle", UTILISATEURS)
def test_les_echeances_de_l_api_sont_celles_de_la_page(db, jeu, cle):
    page = _client(jeu, cle).get(reverse("qualite:mes_echeances"))
    reponse = ClientAPI(jeu.users[cle]).get("/api/v1/echeances/", {"taille": 200})
    if page.status_code != 200:
        assert reponse.status_code == page.status_code
        return
    contenu, references = page.content.decode(), {e["reference"] for e in reponse.json()["results"]}
    for marque in ("PROPRE-A-", FUITE_POLE, FUITE_B):
        reference = f"{marque}ECHEANCE"
        assert (reference in references) == (reference in contenu), reference


@pytest.mark.parametrize("cle", UTILISATEURS)
def test_les_valeurs_d_indicateur_de_l_api_sont_celles_de_la_page(db, jeu, cle):
    indicateur = jeu.objets["indicateur", "A"]
    page = _client(jeu, cle).get(reverse("certification:indicateur", args=[indicateur.pk]))
    reponse = ClientAPI(jeu.users[cle]).get("/api/v1/valeurs-indicateurs/", {"indicateur": indicateur.pk})
    assert reponse.status_code == page.status_code
    if page.status_code != 200:
        return
    contenu = page.content.decode()
    vues = {(v["etablissement_nom"], v["service_nom"]) for v in reponse.json()["results"]}
    for valeur in indicateur.valeurs.select_related("etablissement", "service"):
        sur_la_page = f"{valeur.etablissement.nom} — {valeur.service.nom}" in contenu
        assert ((valeur.etablissement.nom, valeur.service.nom) in vues) == sur_la_page, valeur


def test_anonyme_recoit_401_partout_sauf_le_schema_et_sa_documentation(db, jeu):
    client = Client()
    for prefixe in [*FICHES, "echeances", "indicateurs", "valeurs-indicateurs"]:
        assert client.get(f"/api/v1/{prefixe}/").status_code == 401, prefixe
        assert client.get(f"/api/v1/{prefixe}/1/").status_code == 401, prefixe
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


@pytest.mark.parametrize("cle", ["administrateur", "gestionnaire_risques"])
def test_les_marqueurs_sont_lisibles_par_l_api(db, jeu, cle):
    """The control: the API does return the other pôle's record to an établissement-wide role."""
    ids = _ids(ClientAPI(jeu.users[cle]).get("/api/v1/evenements/", {"taille": 200}))
    assert jeu.objets["ev", "A2"].pk in ids and jeu.objets["ev", "B"].pk not in ids
