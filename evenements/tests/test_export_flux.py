"""CSV export streamed from a values query: the cells the columns would write, the list's scope and filters."""

import csv
import io

from django.http import StreamingHttpResponse
from django.urls import reverse

from evenements.importation import COLONNES, REGISTRE
from evenements.models import EvenementIndesirable
from evenements.tests.factories import EvenementFactory
from qualite.outils import importation


def _lignes(response):
    assert isinstance(response, StreamingHttpResponse)
    texte = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texte), delimiter=";"))


def test_les_cellules_sql_sont_celles_des_colonnes(monde):
    EvenementFactory(service=monde.service_a, gravite=3, vraisemblance=4, personnes=["patient", "visiteur"],
                     confidentiel=True, lieu="Chambre 2", mesures_immediates="Appel", consequences="=1+1")
    EvenementFactory(service=monde.service_b, gravite=None, vraisemblance=None, statut="pris_en_charge")
    qs = EvenementIndesirable.objects.order_by("pk")
    attendu = [[c.cellule(o) for c in COLONNES] for o in qs.select_related("etablissement", "pole", "service", "type")]
    assert [list(r) for r in REGISTRE.lignes_sql(qs)] == attendu


def test_l_export_respecte_perimetre_et_filtres_et_neutralise_les_formules(monde, client_de):
    EvenementFactory(service=monde.service_a, description="=HYPERLINK(\"x\")", gravite=4, vraisemblance=1)
    EvenementFactory(service=monde.service_a, gravite=1, vraisemblance=1)
    EvenementFactory(service=monde.service_b, description="Hors périmètre")
    gestionnaire = monde.users["gestionnaire_risques"]
    lignes = _lignes(client_de(gestionnaire).get(reverse("evenements:liste"), {"export": "csv"}))
    assert lignes[0] == REGISTRE.noms and len(lignes) == 3
    assert {ligne[2] for ligne in lignes[1:]} == {"CH A"}
    assert "'=HYPERLINK(\"x\")" in [ligne[REGISTRE.noms.index("Description")] for ligne in lignes[1:]]
    filtre = _lignes(client_de(gestionnaire).get(reverse("evenements:liste"), {"export": "csv", "gravite": "4"}))
    assert len(filtre) == 2 and filtre[1][REGISTRE.noms.index("Gravité")].startswith("4")


def test_l_export_se_reimporte_sans_changement(monde, client_de):
    for i in range(3):
        EvenementFactory(service=monde.service_a, gravite=2, vraisemblance=i + 1, description=f"+ligne {i}")
    gestionnaire = monde.users["gestionnaire_risques"]
    response = client_de(gestionnaire).get(reverse("evenements:liste"), {"export": "csv"})
    contenu = b"".join(response.streaming_content)
    analyse = importation.analyser(importation.REGISTRES["evenements"], contenu, utilisateur=gestionnaire, nom_fichier="e.csv")
    assert analyse.valide and [op.nature for op in analyse.operations] == ["inchangée"] * 3
