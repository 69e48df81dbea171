"""The référentiel import: all or nothing, French line-and-column errors."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from certification.models import Chapitre, Critere, Objectif, Referentiel
from certification.services import ErreurImport, referentiel_importer

pytestmark = pytest.mark.django_db
ENTETE = "chapitre_numero;chapitre_titre;objectif_code;objectif_titre;critere_code;critere_titre;critere_type;champ_application"
LIGNE = "1;Chap 1;1.1;Obj 1.1;EX-1;Critère fictif;standard;Tout"


def _csv(*lignes, entete=ENTETE) -> bytes:
    return ("\n".join([entete, *lignes]) + "\n").encode("utf-8")


def _rien_charge():
    assert (Referentiel.objects.count(), Chapitre.objects.count(), Objectif.objects.count(), Critere.objects.count()) == (0, 0, 0, 0)


def test_le_fichier_d_exemple_livre_se_charge(tmp_path, capsys):
    exemple = Path(settings.BASE_DIR) / "docs" / "import" / "exemples" / "referentiel.csv"
    call_command("importer_referentiel", str(exemple), "--version", "exemple", "--activer")
    ref = Referentiel.objects.get(version="exemple")
    assert ref.actif and ref.chapitres.count() == 2
    assert sorted(ref.criteres.values_list("type", flat=True)) == ["avance", "imperatif", "standard"]
    assert all(t.startswith("EXEMPLE") for t in ref.criteres.values_list("titre", flat=True))


def test_le_bom_et_les_types_accentues_sont_acceptes():
    contenu = "\ufeff".encode() + _csv(LIGNE, "1;Chap 1;1.2;Obj 1.2;EX-2;Autre;Impératif;", "2;Chap 2;2.1;Obj;EX-3;X;avancé;")
    ref = referentiel_importer(contenu=contenu, version="v1", libelle="")
    assert ref.criteres.count() == 3 and ref.chapitres.count() == 2 and Objectif.objects.count() == 3


def test_activer_une_nouvelle_version_desactive_l_ancienne():
    referentiel_importer(contenu=_csv(LIGNE), version="v1", libelle="", activer=True)
    referentiel_importer(contenu=_csv(LIGNE), version="v2", libelle="", activer=True)
    assert list(Referentiel.objects.filter(actif=True).values_list("version", flat=True)) == ["v2"]


@pytest.mark.parametrize("contenu, ligne, colonne, message", [
    (_csv(LIGNE, entete=ENTETE.replace(";critere_type", "")), 1, "critere_type", "colonne manquante"),
    (_csv(LIGNE, "1;Chap 1;1.1;Obj 1.1;EX-2;Fictif;essentiel;"), 3, "critere_type", "type inconnu « essentiel »"),
    (_csv(LIGNE, "1;Chap 1;1.1;Obj 1.1;EX-1;Doublon;standard;"), 3, "critere_code", "déjà présent ligne 2"),
    (_csv(LIGNE, "1;Chap 1;1.1;Obj 1.1;EX-2;;standard;"), 3, "critere_titre", "valeur obligatoire absente"),
    (_csv(LIGNE, "un;Chap 1;1.1;Obj 1.1;EX-2;T;standard;"), 3, "chapitre_numero", "n'est pas un numéro"),
    (_csv(LIGNE, "1;Autre titre;1.1;Obj 1.1;EX-2;T;standard;"), 3, "chapitre_titre", "titre différent"),
    (_csv(LIGNE, "1;Chap 1;1.1;Obj 1.1;EX-2;T;standard;x;en trop"), 3, "", "trop de valeurs"),
    (_csv(), 2, "", "aucun critère"),
    (_csv(LIGNE) + "1;Chap 1;1.1;Obj 1.1;EX-2;Crit\xe8re;standard;\n".encode("latin-1"), 3, "", "encodage invalide"),
])
def test_un_fichier_mal_forme_ne_charge_rien_et_dit_ou(contenu, ligne, colonne, message):
    with pytest.raises(ErreurImport) as exc:
        referentiel_importer(contenu=contenu, version="v1", libelle="")
    assert (exc.value.ligne, exc.value.colonne) == (ligne, colonne)
    assert message in exc.value.message
    _rien_charge()


def test_une_version_ne_se_charge_pas_deux_fois():
    referentiel_importer(contenu=_csv(LIGNE), version="v1", libelle="")
    with pytest.raises(ErreurImport, match="existe déjà"):
        referentiel_importer(contenu=_csv(LIGNE), version="v1", libelle="")
    assert Critere.objects.count() == 1


def test_la_commande_signale_l_erreur_en_francais(tmp_path):
    f = tmp_path / "ref.csv"
    f.write_bytes(_csv(LIGNE, "1;Chap 1;1.1;Obj 1.1;EX-2;T;bof;"))
    with pytest.raises(CommandError, match=r"Rien n'a été chargé — ligne 3, colonne « critere_type »"):
        call_command("importer_referentiel", str(f), "--version", "v1")
    _rien_charge()


def test_la_commande_refuse_un_fichier_absent(tmp_path):
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("importer_referentiel", str(tmp_path / "absent.csv"), "--version", "v1")
