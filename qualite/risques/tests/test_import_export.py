"""The risk register as a file: export columns, round trip, all-or-nothing import with errors by line and column."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.models import Processus
from conftest import texte
from qualite.outils import importation
from qualite.risques import services
from qualite.risques.models import Cotation, Risque
from qualite.risques.tests.factories import FamilleFactory, RisqueFactory

pytestmark = pytest.mark.django_db

COLONNES = ["Référence", "Risque", "Établissement", "Famille", "Processus", "Pôle", "Service", "Description",
            "Pilote (identifiant)", "Barrières existantes", "Archivé le", "Date de cotation", "Fréquence", "Gravité",
            "Maîtrise", "Criticité brute", "Criticité résiduelle"]


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


def _csv(lignes) -> bytes:
    sortie = io.StringIO()
    w = csv.writer(sortie, delimiter=";")
    w.writerow(COLONNES[:15])
    for ligne in lignes:
        w.writerow(ligne)
    return sortie.getvalue().encode()


def _lire(response):
    contenu = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(contenu), delimiter=";"))


class TestExport:
    def test_colonnes_et_valeurs_de_la_derniere_cotation(self, monde, client_de, gestionnaire):
        famille = FamilleFactory(etablissement=monde.etab_a, libelle="Chutes")
        processus = Processus.objects.create(nom="Parcours", etablissement=monde.etab_a)
        r = RisqueFactory(etablissement=monde.etab_a, famille=famille, processus=processus, titre="=Chute",
                          pilote=gestionnaire, pole=monde.pole_a)
        services.risque_coter(risque=r, par=None, frequence=4, gravite=4, maitrise=1, date=date(2026, 1, 5))
        services.risque_coter(risque=r, par=None, frequence=3, gravite=4, maitrise=2, date=date(2026, 3, 5))
        RisqueFactory(etablissement=monde.etab_b, titre="Risque de B")
        response = client_de(gestionnaire).get(reverse("risques:liste"), {"export": "csv"})
        lignes = _lire(response)
        assert lignes[0] == COLONNES and len(lignes) == 2
        assert lignes[1] == [f"RSQ-{r.pk}", "'=Chute", "CH A", "Chutes", "Parcours", "Pôle médecine A", "", "",
                             "gestionnaire_risques", "", "", "05/03/2026", "3", "4", "2", "12", "9"]

    def test_l_export_reimporte_sans_rien_changer(self, monde, gestionnaire):
        r = RisqueFactory(etablissement=monde.etab_a, famille=FamilleFactory(etablissement=monde.etab_a, libelle="F"))
        services.risque_coter(risque=r, par=None, frequence=2, gravite=3, maitrise=3, date=date(2026, 1, 5))
        registre = importation.REGISTRES["risques"]
        sortie = io.StringIO()
        w = csv.writer(sortie, delimiter=";")
        w.writerow(registre.noms)
        for ligne in registre.lignes_export(Risque.objects.all()):
            w.writerow(ligne)
        analyse = importation.analyser(registre, sortie.getvalue().encode(), utilisateur=gestionnaire, nom_fichier="r.csv")
        assert analyse.valide and analyse.compte("inchangée") == 1


class TestImport:
    def test_tout_ou_rien_une_mauvaise_ligne_refuse_tout_avec_ligne_et_colonne(self, monde, client_de, gestionnaire,
                                                                               settings, tmp_path):
        settings.IMPORT_TEMP_DIR = tmp_path
        FamilleFactory(etablissement=monde.etab_a, libelle="Chutes")
        contenu = _csv([
            ["", "Chute la nuit", "CH A", "Chutes", "", "", "", "", "", "Lits bas", "", "01/02/2026", "3", "4", "2"],
            ["", "Chute au bloc", "CH A", "Inconnue", "", "", "", "", "", "", "", "", "2", "7", "1"],
        ])
        response = client_de(gestionnaire).post(reverse("qualite:importer"), {
            "registre": "risques", "fichier": SimpleUploadedFile("risques.csv", contenu, "text/csv")})
        page = texte(response)
        assert response.status_code == 200 and "rien n'a été enregistré" in page
        erreurs = {(e.ligne, e.colonne) for e in response.context["erreurs"]}
        assert erreurs == {(3, "Famille"), (3, "Gravité")}
        assert "famille inconnue" in page and "niveau inconnu : 7" in page
        assert not Risque.objects.exists() and not Cotation.objects.exists()

    def test_une_regle_metier_refusee_annule_tout(self, monde, gestionnaire):
        FamilleFactory(etablissement=monde.etab_a, libelle="Chutes")
        contenu = _csv([
            ["", "Bon", "CH A", "Chutes", "", "", "", "", "", "", "", "", "3", "4", "2"],
            ["", "Sans maîtrise", "CH A", "Chutes", "", "", "", "", "", "", "", "", "3", "4", ""],
        ])
        registre = importation.REGISTRES["risques"]
        bilan = importation.ecrire(importation.analyser(registre, contenu, utilisateur=gestionnaire),
                                   utilisateur=gestionnaire)
        assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(3, "Maîtrise")]
        assert not Risque.objects.exists()

    def test_confirmer_cree_les_risques_et_une_nouvelle_cotation_garde_l_ancienne(self, monde, client_de,
                                                                                   gestionnaire, settings, tmp_path):
        settings.IMPORT_TEMP_DIR = tmp_path
        FamilleFactory(etablissement=monde.etab_a, libelle="Chutes")
        client = client_de(gestionnaire)
        contenu = _csv([["", "Chute la nuit", "CH A", "chutes", "", "Pôle médecine A", "Cardiologie A", "", "",
                         "Lits bas", "", "01/02/2026", "3", "4", "2"]])
        client.post(reverse("qualite:importer"), {"registre": "risques",
                                                  "fichier": SimpleUploadedFile("r.csv", contenu, "text/csv")})
        assert client.post(reverse("qualite:importer_confirmer")).status_code == 302
        r = Risque.objects.get()
        assert (r.service, r.barrieres) == (monde.service_a, "Lits bas")
        assert list(r.cotations.values_list("date", "frequence")) == [(date(2026, 2, 1), 3)]
        modifie = _csv([[f"RSQ-{r.pk}", "Chute la nuit", "CH A", "Chutes", "", "Pôle médecine A", "Cardiologie A",
                         "", "", "Lits bas", "", "01/06/2026", "2", "4", "3"]])
        bilan = importation.ecrire(importation.analyser(importation.REGISTRES["risques"], modifie,
                                                        utilisateur=gestionnaire), utilisateur=gestionnaire)
        assert (bilan.modifies, bilan.erreurs) == (1, [])
        assert list(r.cotations.order_by("date").values_list("frequence", flat=True)) == [3, 2]

    def test_un_risque_d_un_autre_etablissement_est_hors_perimetre(self, monde, gestionnaire):
        autre = RisqueFactory(etablissement=monde.etab_b)
        contenu = _csv([[f"RSQ-{autre.pk}", "X", "CH A", "F", "", "", "", "", "", "", "", "", "", "", ""]])
        analyse = importation.analyser(importation.REGISTRES["risques"], contenu, utilisateur=gestionnaire)
        assert ("Référence" in {e.colonne for e in analyse.erreurs})
