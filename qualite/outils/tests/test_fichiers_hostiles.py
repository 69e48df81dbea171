"""Hostile files are refused early and cheaply, through the import page and the command; nothing is written."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import texte
from qualite.outils import importation
from qualite.outils.importation import lecture

ENTETE = ["Référence", "Survenu le", "Établissement", "Service", "Type", "Personnes concernées", "Description",
          "Gravité estimée"]
LIGNE = ["", "01/03/2026 10:00", "CH A", "Cardiologie A", "Soins", "Patient", "Chute", "2"]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _ligne_xml(numero: int, valeurs) -> str:
    cellules = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in valeurs)
    return f'<row r="{numero}">{cellules}</row>'


def _xlsx(lignes_xml, *, dimension="A1:H2", remplissage: int = 0) -> bytes:
    """A minimal .xlsx written by hand, so that the sheet says whatever a hostile file says."""
    feuille = io.StringIO()
    feuille.write(f'<?xml version="1.0"?><worksheet xmlns="{NS}"><dimension ref="{dimension}"/>')
    feuille.write(" " * remplissage)
    feuille.write("<sheetData>")
    for ligne in lignes_xml:
        feuille.write(ligne)
    feuille.write("</sheetData></worksheet>")
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{RELS}"><sheets>'
            '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        z.writestr("xl/worksheets/sheet1.xml", feuille.getvalue())
    return tampon.getvalue()


def _fichier_dimension() -> bytes:
    """openpyxl pads each row to the declared width and fills the gap up to the last row: 10⁶ × 16 384 cells."""
    return _xlsx([_ligne_xml(1, ENTETE), _ligne_xml(2, LIGNE), '<row r="1048576"/>'], dimension="A1:XFD1048576")


def _fichier_long(n: int) -> bytes:
    return _xlsx([_ligne_xml(1, ENTETE)] + [_ligne_xml(i, LIGNE) for i in range(2, n + 2)], dimension=f"A1:H{n + 1}")


def _fichier(contenu: bytes, nom: str):
    f = io.BytesIO(contenu)
    f.name = nom
    return f


def _pic_memoire(fonction):
    tracemalloc.start()
    try:
        resultat = fonction()
        return resultat, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


@pytest.fixture
def page(monde, client_de, gestionnaire, settings, tmp_path):
    settings.IMPORT_TEMP_DIR = tmp_path

    def envoyer(contenu: bytes, nom="hostile.xlsx"):
        return client_de(gestionnaire).post(reverse("qualite:importer"),
                                            {"registre": "evenements", "fichier": _fichier(contenu, nom)})
    return envoyer


def _rien_ecrit(tmp_path=None):
    from evenements.models import EvenementIndesirable

    assert EvenementIndesirable.objects.count() == 0
    if tmp_path is not None:
        assert list(tmp_path.iterdir()) == []


class TestDimensionDeclaree:
    def test_un_fichier_de_1ko_declarant_toute_la_feuille_se_lit_en_peu_de_memoire(self, monde, gestionnaire):
        contenu = _fichier_dimension()
        assert len(contenu) < 2048
        analyse, pic = _pic_memoire(lambda: importation.analyser(
            importation.REGISTRES["evenements"], contenu, utilisateur=gestionnaire, nom_fichier="d.xlsx"))
        assert analyse.erreurs == [] and len(analyse.operations) == 1
        assert pic < 10 * 1024 * 1024

    def test_la_page_en_montre_l_apercu_comme_pour_tout_fichier(self, page, tmp_path):
        response = page(_fichier_dimension())
        assert response.status_code == 200 and "1 création" in texte(response)


class TestTropDeLignes:
    def test_la_lecture_s_arrete_a_la_limite(self, monde, gestionnaire, settings):
        settings.IMPORT_LIGNES_MAX = 1000
        contenu = _fichier_long(50_000)
        lues = []

        def lire():
            with pytest.raises(lecture.FichierRefuse, match="fichier trop long : 1000 lignes au plus"):
                for numero, _ in lecture.lignes(contenu, "long.xlsx"):
                    lues.append(numero)
        _, pic = _pic_memoire(lire)
        assert lues[-1] == 1001 and pic < 5 * 1024 * 1024

    def test_la_page_montre_l_erreur_pres_du_champ_fichier(self, page, settings, tmp_path):
        settings.IMPORT_LIGNES_MAX = 1000
        response = page(_fichier_long(5000))
        assert response.status_code == 200
        assert "fichier trop long : 1000 lignes au plus" in response.context["form"].errors["fichier"][0]
        assert "Rien n'a été enregistré" in texte(response)
        _rien_ecrit(tmp_path)

    def test_un_csv_long_est_refuse_aussi(self, page, settings, tmp_path):
        settings.IMPORT_LIGNES_MAX = 10
        contenu = (";".join(ENTETE) + "\n" + (";".join(LIGNE) + "\n") * 11).encode()
        response = page(contenu, "long.csv")
        assert "fichier trop long" in response.context["form"].errors["fichier"][0]
        _rien_ecrit(tmp_path)

    def test_la_commande_le_refuse(self, gestionnaire, settings, tmp_path):
        settings.IMPORT_LIGNES_MAX = 1000
        chemin = tmp_path / "long.xlsx"
        chemin.write_bytes(_fichier_long(5000))
        with pytest.raises(CommandError, match="fichier trop long : 1000 lignes au plus"):
            call_command("importer", "evenements", str(chemin), "--utilisateur", gestionnaire.username)
        _rien_ecrit()


    def test_un_fichier_refuse_a_la_confirmation_n_ecrit_rien(self, page, settings, tmp_path, client_de, gestionnaire):
        contenu = (";".join(ENTETE) + "\n" + (";".join(LIGNE) + "\n") * 3).encode()
        assert "3 création" in texte(page(contenu, "court.csv"))
        settings.IMPORT_LIGNES_MAX = 2  # lowered between the preview and the confirmation
        response = client_de(gestionnaire).post(reverse("qualite:importer_confirmer"), follow=True)
        assert "fichier trop long : 2 lignes au plus" in texte(response)
        _rien_ecrit(tmp_path)


class TestTropDeColonnes:
    def test_une_valeur_au_dela_de_la_limite_de_colonnes_est_refusee(self, page, tmp_path):
        ligne = '<row r="2"><c r="CX2" t="inlineStr"><is><t>x</t></is></c></row>'
        response = page(_xlsx([_ligne_xml(1, ENTETE), ligne]))
        assert "trop de colonnes : 100 au plus" in response.context["form"].errors["fichier"][0]
        _rien_ecrit(tmp_path)

    def test_des_cellules_vides_lointaines_ne_coutent_rien(self, monde, gestionnaire):
        vides = "".join(f'<row r="{i}"><c r="XFD{i}"/></row>' for i in range(3, 2000))
        contenu = _xlsx([_ligne_xml(1, ENTETE), _ligne_xml(2, LIGNE), vides])
        lignes = list(lecture.lignes(contenu, "x.xlsx"))
        assert [n for n, _ in lignes] == [1, 2] and len(lignes[1][1]) == len(LIGNE)

    def test_une_ligne_d_innombrables_cellules_vides_est_refusee_avant_construction(self):
        contenu = _xlsx([_ligne_xml(1, ENTETE), '<row r="2">' + "<c/>" * 20_000 + "</row>"])
        with pytest.raises(lecture.FichierRefuse, match="trop de colonnes"):
            list(lecture.lignes(contenu, "x.xlsx"))

    def test_un_csv_large_est_refuse(self, page, tmp_path):
        contenu = (";".join(ENTETE + ["x"] * 150) + "\n").encode()
        response = page(contenu, "large.csv")
        assert "trop de colonnes" in response.context["form"].errors["fichier"][0]


class TestBombe:
    def test_un_membre_decompresse_au_dela_de_la_limite_est_refuse_avant_lecture(self, page, settings, tmp_path):
        settings.IMPORT_DECOMPRESSE_MAX = 2 * 1024 * 1024
        contenu = _xlsx([_ligne_xml(1, ENTETE), _ligne_xml(2, LIGNE)], remplissage=3 * 1024 * 1024)
        assert len(contenu) < 100 * 1024
        response = page(contenu)
        assert "contenu décompressé dépasse 2 Mo" in response.context["form"].errors["fichier"][0]
        _rien_ecrit(tmp_path)

    def test_un_taux_de_compression_anormal_est_refuse(self, monde, gestionnaire):
        contenu = _xlsx([_ligne_xml(1, ENTETE)], remplissage=20 * 1024 * 1024)
        with pytest.raises(lecture.FichierRefuse, match="anormalement compressé"):
            list(lecture.lignes(contenu, "x.xlsx"))


class TestTaille:
    def test_un_envoi_trop_gros_est_refuse_par_le_formulaire(self, page, settings, tmp_path):
        settings.IMPORT_TAILLE_MAX = 1024 * 1024
        response = page(b"x" * (1024 * 1024 + 1), "gros.csv")
        assert response.context["form"].errors["fichier"] == ["Fichier trop volumineux (1 Mo au plus)."]
        _rien_ecrit(tmp_path)

    def test_le_temps_de_lecture_est_borne(self, settings):
        settings.IMPORT_DUREE_LECTURE_MAX = 0
        contenu = (";".join(ENTETE) + "\n" + (";".join(LIGNE) + "\n") * 600).encode()
        with pytest.raises(lecture.FichierRefuse, match="lecture du fichier trop longue"):
            list(lecture.lignes(contenu, "x.csv"))


@pytest.mark.django_db
def test_l_import_du_referentiel_a_une_limite_de_lignes(settings):
    from certification.services import ErreurImport, referentiel_importer
    from certification.tests.test_import import ENTETE as ENTETE_REF

    settings.IMPORT_LIGNES_MAX = 5
    lignes = [f"1;Chap 1;1.1;Obj 1.1;EX-{i};Critère;standard;Tout" for i in range(6)]
    with pytest.raises(ErreurImport, match="fichier trop long : 5 lignes au plus"):
        referentiel_importer(contenu=("\n".join([ENTETE_REF, *lignes]) + "\n").encode(), version="v", libelle="")
