"""importer_documents: a folder plus a CSV index, all or nothing, errors by line and column."""

import pytest
from django.core.management import CommandError, call_command

from qualite.documents.models import Document, VersionDocument
from qualite.documents.tests.outils import docx, pdf
from qualite.pieces.tests.conftest import fichiers_stockes
from qualite.pieces.tests.outils import EXE

pytestmark = pytest.mark.django_db

ENTETE = "fichier;titre;type;etablissement;proprietaire;service;date_revision;version\n"


@pytest.fixture
def base(tmp_path):
    dossier = tmp_path / "base"
    (dossier / "proc").mkdir(parents=True)
    (dossier / "proc" / "hygiene.pdf").write_bytes(pdf("Hygiène des mains : friction hydro-alcoolique."))
    (dossier / "charte.docx").write_bytes(docx("Charte de la personne hospitalisée."))
    (dossier / "faux.pdf").write_bytes(EXE)
    return dossier


def _index(tmp_path, lignes: str):
    chemin = tmp_path / "index.csv"
    chemin.write_text(ENTETE + lignes, encoding="utf-8")
    return chemin


def _importer(dossier, index, utilisateur="gestionnaire_risques"):
    call_command("importer_documents", str(dossier), str(index), utilisateur=utilisateur)


def test_un_index_juste_importe_chaque_document_approuve_a_diffuser(monde, base, tmp_path, stockage_pieces):
    index = _index(tmp_path, "proc/hygiene.pdf;Hygiène des mains;Procédure;CH A;gestionnaire_risques;Cardiologie A;"
                             "31/12/2027;3\n"
                             "charte.docx;Charte du patient;charte;CH A;direction;;;\n")
    _importer(base, index)
    hygiene = Document.objects.get(titre="Hygiène des mains")
    version = hygiene.versions.get()
    assert (version.numero, version.statut, hygiene.service, hygiene.date_revision.isoformat()) == (
        3, VersionDocument.Statut.APPROUVEE, monde.service_a, "2027-12-31")
    assert "friction" in version.texte
    assert Document.objects.get(titre="Charte du patient").proprietaire == monde.users["direction"]
    assert len(fichiers_stockes(stockage_pieces)) == 2


def test_une_ligne_fausse_et_rien_n_est_ecrit(monde, base, tmp_path, stockage_pieces, capsys):
    index = _index(tmp_path, "proc/hygiene.pdf;Hygiène des mains;procedure;CH A;gestionnaire_risques;;;\n"
                             "absent.pdf;Absent;procedure;CH A;gestionnaire_risques;;;\n"
                             "faux.pdf;Faux PDF;note;CH Z;inconnu;;32/13/2027;zéro\n"
                             "../index.csv;Évasion;procedure;CH A;gestionnaire_risques;;;\n"
                             ";;procedure;CH A;gestionnaire_risques;;;\n")
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        _importer(base, index)
    erreurs = capsys.readouterr().err
    assert "Ligne 3, colonne « fichier » : fichier introuvable dans le dossier : absent.pdf." in erreurs
    assert "Ligne 4, colonne « fichier » : Type de fichier refusé" in erreurs and "programme Windows" in erreurs
    assert "Ligne 4, colonne « type » : « note » inconnu" in erreurs
    assert "Ligne 4, colonne « etablissement » : établissement « CH Z » inconnu" in erreurs
    assert "Ligne 4, colonne « proprietaire » : utilisateur « inconnu » inconnu ou inactif." in erreurs
    assert "Ligne 4, colonne « date_revision » : date « 32/13/2027 » illisible" in erreurs
    assert "Ligne 4, colonne « version »" in erreurs
    assert "Ligne 5, colonne « fichier » : fichier introuvable" in erreurs  # outside the folder
    assert "Ligne 6, colonne « titre » : valeur obligatoire manquante." in erreurs
    assert "Ligne 2" not in erreurs
    assert not Document.objects.exists() and fichiers_stockes(stockage_pieces) == []


def test_une_colonne_obligatoire_absente_est_signalee(monde, base, tmp_path, capsys):
    index = tmp_path / "index.csv"
    index.write_text("fichier;titre;etablissement\nproc/hygiene.pdf;Hygiène;CH A\n", encoding="utf-8")
    with pytest.raises(CommandError):
        _importer(base, index)
    erreurs = capsys.readouterr().err
    assert "Ligne 1, colonne « type » : colonne obligatoire absente de l'en-tête." in erreurs
    assert "Ligne 1, colonne « proprietaire »" in erreurs
    assert not Document.objects.exists()


def test_l_importateur_doit_pouvoir_rediger_dans_l_etablissement(monde, base, tmp_path, capsys):
    index = _index(tmp_path, "proc/hygiene.pdf;Hygiène des mains;procedure;CH B;gestionnaire_b;;;\n")
    with pytest.raises(CommandError):
        _importer(base, index)
    assert "gestionnaire_risques ne peut pas rédiger de documents dans CH B." in capsys.readouterr().err
    assert not Document.objects.exists()


def test_un_echec_pendant_l_ecriture_n_ecrit_rien_et_retire_les_fichiers(monde, base, tmp_path, stockage_pieces):
    """The second document is refused at write time (by the model's own check): the first one is rolled back
    too, and both stored files are removed."""
    from pathlib import Path

    from django.core.exceptions import ValidationError

    from qualite.documents import importation

    index = _index(tmp_path, "proc/hygiene.pdf;Hygiène des mains;procedure;CH A;gestionnaire_risques;;;\n"
                             "charte.docx;Charte du patient;charte;CH A;direction;;;\n")
    analyse = importation.analyser(Path(base), index.read_bytes(), par=monde.users["gestionnaire_risques"])
    assert not analyse.erreurs
    analyse.lignes[1]["donnees"]["titre"] = "x" * 300
    with pytest.raises(ValidationError):
        importation.ecrire(analyse, par=monde.users["gestionnaire_risques"])
    assert not Document.objects.exists() and fichiers_stockes(stockage_pieces) == []
