"""Processes, satisfaction surveys and indicator definitions as files: export → import unchanged, the
example files load, a bad row refuses the whole file with its line and column."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.urls import reverse

from certification import services
from certification.models import EnqueteSatisfaction, Indicateur, PilotageProcessus, Processus
from qualite.outils import importation

pytestmark = pytest.mark.django_db
MODELES = {"processus": Processus, "enquetes": EnqueteSatisfaction, "indicateurs": Indicateur}


def _importer(code, contenu, user, nom="fichier.csv"):
    analyse = importation.analyser(importation.REGISTRES[code], contenu, utilisateur=user, nom_fichier=nom)
    return importation.ecrire(analyse, utilisateur=user)


def _export(client, code, fmt="csv"):
    response = client.get(reverse("certification:exporter", args=[code]), {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if fmt == "csv" else response.content


def _etat(modele):
    return [(model_to_dict(o), o.updated_at) for o in modele.objects.order_by("pk")]


def _donnees(monde):
    u = monde.users["administrateur"]
    for nom, etab in (("Circuit du médicament ; « urgences »", monde.etab_a), ("Blocs", monde.etab_a),
                      ("Hors périmètre", monde.etab_b)):
        services.processus_enregistrer(par=u, le=date(2025, 1, 1), donnees={
            "nom": nom, "etablissement": etab, "pilote_medical": monde.users["psychiatre"] if etab == monde.etab_a else None})
    for titre, etab in (("e-Satis 2026", monde.etab_a), ("Interne", monde.etab_a), ("Autre", monde.etab_b)):
        EnqueteSatisfaction.objects.create(type="esatis", titre=titre, etablissement=etab, periode_debut=date(2026, 1, 1),
                                           periode_fin=date(2026, 6, 30), reponses=42, score="73.50")
    Indicateur.objects.create(code="douleur", libelle="Douleur", definition="Tracée\nou non", unite="%", cible="80")
    Indicateur.objects.create(code="chutes", libelle="Chutes", sens="baisse", actif=False)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("code", list(MODELES))
def test_un_export_se_reimporte_sans_changement(monde, client_de, code, fmt):
    _donnees(monde)
    qualiticien = monde.users["gestionnaire_risques"]
    avant = {c: _etat(m) for c, m in MODELES.items()}
    periodes = list(PilotageProcessus.objects.values_list("pk", "du", "au"))
    contenu = _export(client_de(qualiticien), code, fmt)
    if fmt == "csv":
        assert contenu.decode("utf-8-sig").splitlines()[0].split(";") == importation.REGISTRES[code].noms
        assert "Hors périmètre" not in contenu.decode("utf-8-sig") and "Autre" not in contenu.decode("utf-8-sig")
    bilan = _importer(code, contenu, qualiticien, f"export.{fmt}")
    assert bilan.erreurs == [] and (bilan.crees, bilan.modifies) == (0, 0)
    assert {c: _etat(m) for c, m in MODELES.items()} == avant
    assert list(PilotageProcessus.objects.values_list("pk", "du", "au")) == periodes


@pytest.mark.parametrize("code", list(MODELES))
def test_le_fichier_d_exemple_se_charge(db, code):
    from django.core.management import call_command

    from qualite.organisation.models import Utilisateur

    call_command("demo", stdout=io.StringIO())
    registre = importation.REGISTRES[code]
    docs = Path(settings.BASE_DIR) / "docs" / "import"
    page = (docs / registre.doc).read_text()
    assert all(f"| `{nom}` |" in page for nom in registre.noms)
    assert f"[{registre.doc}]({registre.doc})" in (docs / "README.md").read_text()
    contenu = (docs / "exemples" / f"{code}.csv").read_bytes()
    assert contenu.decode().splitlines()[0].split(";") == registre.noms
    user = Utilisateur.objects.get(username="qualiticien")
    analyse = importation.analyser(registre, contenu, utilisateur=user, nom_fichier="exemple.csv")
    bilan = importation.ecrire(analyse, utilisateur=user, essai=True)
    assert bilan.erreurs == [] and bilan.crees == 2


def test_un_processus_importe_entre_dans_l_historique_et_une_ligne_fausse_refuse_tout(monde):
    qualiticien = monde.users["gestionnaire_risques"]
    contenu = ("Référence;Nom;Établissement;Pilote médical (identifiant);"
               "Pilote soignant / administratif (identifiant);Actif\n"
               ";Urgences;CH A;psychiatre;cadre_pole;oui\n"
               ";Blocs;CH A;inconnu;;\n").encode()
    bilan = _importer("processus", contenu, qualiticien)
    assert [str(e) for e in bilan.erreurs] == [
        "ligne 3, colonne « Pilote médical (identifiant) » : utilisateur inconnu dans cet établissement : « inconnu » "
        "(identifiant de connexion attendu)."]
    assert not Processus.objects.exists()
    bilan = _importer("processus", contenu.replace(b"inconnu", b""), qualiticien)
    assert bilan.crees == 2
    urgences = Processus.objects.get(nom="Urgences")
    assert urgences.periodes.get().binome and Processus.objects.get(nom="Blocs").actif


def test_enquete_et_indicateur_refuses_ligne_et_colonne(monde):
    qualiticien = monde.users["gestionnaire_risques"]
    contenu = ("Référence;Type;Titre;Établissement;Service;Période du;Au;Réponses;Score sur 100\n"
               ";Enquête interne;A;CH A;;01/03/2026;01/02/2026;3;\n").encode()
    bilan = _importer("enquetes", contenu, qualiticien)
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(2, "")] or bilan.erreurs
    assert not EnqueteSatisfaction.objects.exists()
    contenu = ("Référence;Code;Libellé;Définition;Unité;Sens du bien;Cible;Actif\n"
               ";douleur;Douleur;;%;vers le haut;;\n").encode()
    bilan = _importer("indicateurs", contenu, qualiticien)
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(2, "Sens du bien")]
    assert not Indicateur.objects.exists()


def test_seuls_les_gestionnaires_importent(monde):
    for code in MODELES:
        registre = importation.REGISTRES[code]
        assert registre.peut_importer(monde.users["gestionnaire_risques"])
        assert not registre.peut_importer(monde.users["direction"])
        assert not registre.peut_importer(monde.users["relations_usagers"])
