"""Isolation / restraint decisions as files: export → import unchanged; bad rows refused by line and column."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from qualite.outils import importation
from usagers.ssc import services
from usagers.ssc.models import MesureIsolement

pytestmark = pytest.mark.django_db
ENTETE = ("Référence;Mesure;Type;Psychiatre décideur;Début;Fin;Surveillance;Motif;Juge informé le;"
          "Proche informé le;Juge saisi le\n")


def _importer(contenu, user):
    analyse = importation.analyser(importation.REGISTRES["isolements_ssc"], contenu.encode() if isinstance(contenu, str) else contenu,
                                   utilisateur=user, nom_fichier="f.csv")
    return importation.ecrire(analyse, utilisateur=user)


@pytest.fixture
def jeu(monde, admettre):
    m = admettre("sdt")
    debut = m.t0 + timedelta(days=1)
    for i in range(2):
        services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=MesureIsolement(
            type="isolement", psychiatre="Dr Un", debut=debut + timedelta(hours=12 * i),
            fin=debut + timedelta(hours=12 * (i + 1)), surveillance="IDE"))
    return m


def _fmt(dt):
    from django.utils import timezone

    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M")


def test_l_export_se_reimporte_sans_changement(monde, client_de, jeu):
    user = monde.users["bureau_admissions"]
    avant = [(model_to_dict(d), d.updated_at) for d in MesureIsolement.objects.order_by("pk")]
    response = client_de(user).get(reverse("usagers:ssc_registre"), {"export": "decisions-csv"})
    contenu = b"".join(response.streaming_content)
    assert contenu.decode("utf-8-sig").splitlines()[0].split(";") == importation.REGISTRES["isolements_ssc"].noms
    bilan = _importer(contenu, user)
    assert bilan.erreurs == [] and bilan.crees == 0 and bilan.modifies == 0
    assert [(model_to_dict(d), d.updated_at) for d in MesureIsolement.objects.order_by("pk")] == avant


def test_creation_et_mise_a_jour_de_la_fin(monde, jeu):
    user = monde.users["bureau_admissions"]
    debut = jeu.t0 + timedelta(days=3)
    bilan = _importer(ENTETE + f";{jeu.reference};Isolement;Dr Deux;{_fmt(debut)};;IDE;Agitation;;;\n", user)
    assert bilan.erreurs == [] and bilan.crees == 1
    d = MesureIsolement.objects.get(psychiatre="Dr Deux")
    bilan = _importer(ENTETE + f"ISO-{d.pk};{jeu.reference};Isolement;Dr Deux;{_fmt(debut)};{_fmt(debut + timedelta(hours=5))};IDE;Agitation;;;\n", user)
    d.refresh_from_db()
    assert bilan.erreurs == [] and d.fin == debut + timedelta(hours=5)


@pytest.mark.parametrize("ligne, colonne", [
    ("{ref};Isolement;Dr X;pas une date;;;;;;\n", "Début"),
    ("{ref};Inconnu;Dr X;{debut};;;;;;\n", "Type"),
    ("{ref};Isolement;Dr X;{debut};{fin13};;;;;\n", "Fin"),
    ("{ref};Contention;Dr X;{debut};{fin2};;;;;\n", "Début"),
])
def test_lignes_erronees_ligne_et_colonne_rien_ecrit(monde, jeu, ligne, colonne):
    user = monde.users["bureau_admissions"]
    debut = jeu.t0 + timedelta(days=4)
    texte = ";" + ligne.format(ref=jeu.reference, debut=_fmt(debut), fin13=_fmt(debut + timedelta(hours=13)),
                               fin2=_fmt(debut + timedelta(hours=2)))
    n = MesureIsolement.objects.count()
    bilan = _importer(ENTETE + texte, user)
    assert (2, colonne) in [(e.ligne, e.colonne) for e in bilan.erreurs]
    assert MesureIsolement.objects.count() == n


def test_colonne_manquante_et_mesure_inconnue(monde, jeu):
    user = monde.users["bureau_admissions"]
    bilan = _importer("Référence;Mesure;Type\n;X;Isolement\n", user)
    assert bilan.erreurs and MesureIsolement.objects.count() == 2
    bilan = _importer(ENTETE + f";SSC-1999-99999;Isolement;Dr X;{_fmt(jeu.t0)};;;;;;\n", user)
    assert (2, "Mesure") in [(e.ligne, e.colonne) for e in bilan.erreurs]


def test_page_de_doc_et_en_tete_d_exemple_concordent(db):
    from pathlib import Path

    from django.conf import settings

    registre = importation.REGISTRES["isolements_ssc"]
    docs = Path(settings.BASE_DIR) / "docs" / "import"
    page = (docs / registre.doc).read_text()
    for nom in registre.noms:
        assert f"| `{nom}` |" in page, nom
    assert (docs / "exemples" / "isolements_ssc.csv").read_text().splitlines()[0].split(";") == registre.noms
