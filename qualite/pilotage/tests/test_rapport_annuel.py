"""The annual report as directors keep it (docs/pilotage.md, « Rapport annuel »): a cover with the
établissement's identity, a one-page summary with 5-year trends and changes, charts in the natural order
with full labels, thousands separators, no page for an empty pôle, « en retard » as of 31 December and the
actions without a pôle in an établissement section. Checked on the context's figures, on the PDF's text and
on the PDF turned into PNG pages."""

import io
import re
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from evenements.tests.factories import EvenementFactory
from qualite.organisation.tests.factories import PoleFactory
from qualite.outils.pdf import render_pdf
from qualite.paqss.models import ActionAmelioration
from qualite.pilotage.rapport import contexte_rapport
from qualite.pilotage.tests.test_chiffres import construire_annee

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"
GABARIT = "qualite/pilotage/pdf/rapport_annuel.html"


def _action(monde, *, pole, echeance, statut="en_cours", realisee_le=None, creee_le=datetime(2025, 1, 15, tzinfo=PARIS)):
    a = ActionAmelioration.objects.create(
        titre="Action", origine="axe", etablissement=monde.etab_a, pole=pole, echeance=echeance, statut=statut,
        realisee_le=realisee_le, motif_abandon="inutile" if statut == "abandonnee" else "")
    ActionAmelioration.objects.filter(pk=a.pk).update(created_at=creee_le)
    return a


@pytest.fixture
def annee(monde):
    """construire_annee (5 EI in CH A in 2025, 2 in 2024) + 1, 3 and 4 EI in 2021–2023; 1 234 more record
    requests in 2025; an empty pôle; PAQSS actions whose lateness depends on the day it is judged."""
    from usagers.relations.models import DemandeDossier

    construire_annee(monde)
    monde.etab_a.finess = "750000001"
    monde.etab_a.save()
    for an, n in ((2021, 1), (2022, 3), (2023, 4)):
        for i in range(n):
            EvenementFactory(service=monde.service_a, survenu_le=datetime(an, 3, 1 + i, tzinfo=PARIS))
    DemandeDossier.objects.bulk_create(
        DemandeDossier(reference=f"DMD-M-{i}", etablissement=monde.etab_a, patient_nom="P",
                       patient_naissance=date(1950, 1, 1), demandeur_type="patient", demandeur_nom="P",
                       recue_le=datetime(2025, 6, 1, tzinfo=PARIS), informations_du=date(2024, 1, 1))
        for i in range(1234))
    PoleFactory(etablissement=monde.etab_a, nom="Pôle vide A")
    pa = monde.pole_a
    _action(monde, pole=pa, echeance=date(2025, 6, 1))  # open, overdue on 31/12/2025
    _action(monde, pole=pa, echeance=date(2025, 10, 1), statut="realisee",
            realisee_le=datetime(2026, 2, 1, tzinfo=PARIS))  # done after the year: overdue on 31/12/2025
    _action(monde, pole=pa, echeance=date(2025, 10, 1), statut="realisee",
            realisee_le=datetime(2025, 9, 1, tzinfo=PARIS))  # done in time
    _action(monde, pole=pa, echeance=date(2026, 3, 1))  # due next year: not overdue on 31/12/2025
    _action(monde, pole=pa, echeance=date(2025, 12, 1), creee_le=datetime(2026, 1, 10, tzinfo=PARIS))  # not yet raised
    _action(monde, pole=None, echeance=date(2025, 5, 1))  # établissement-wide, overdue
    _action(monde, pole=None, echeance=date(2026, 5, 1))  # établissement-wide, on time
    return monde


def _contexte(monde, anonyme=False):
    return contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=anonyme, titre="CH A")


def _pages(contenu: bytes) -> list[str]:
    return [" ".join(p.extract_text().replace(NBSP, " ").split()) for p in PdfReader(io.BytesIO(contenu)).pages]


def test_tendance_sur_5_ans_et_evolution(annee):
    chiffres = {c["code"]: c for c in _contexte(annee)["chiffres"]}
    assert chiffres["ei"]["serie"] == [(2021, 1), (2022, 3), (2023, 4), (2024, 2), (2025, 5)]
    assert chiffres["ei"]["tendance"] == {"fleche": "↗", "texte": f"+150{NBSP}% par rapport à 2024 (hausse)",
                                          "sens": "hausse"}
    assert chiffres["dossiers"]["total"] == 1238
    assert chiffres["dossiers"]["tendance"]["texte"] == "nouveau (aucun en 2024)"
    assert chiffres["epp"]["tendance"]["sens"] == "stable"
    assert 'role="img"' in chiffres["ei"]["mini"] and "2021 : 1 ; 2022 : 3" in chiffres["ei"]["mini"]


def test_baisse_dite_en_mots(monde):
    for jour in (1, 2, 3, 4):
        EvenementFactory(service=monde.service_a, survenu_le=datetime(2024, 5, jour, tzinfo=PARIS))
    EvenementFactory(service=monde.service_a, survenu_le=datetime(2025, 5, 1, tzinfo=PARIS))
    ei = next(c for c in _contexte(monde)["chiffres"] if c["code"] == "ei")
    assert ei["tendance"] == {"fleche": "↘", "texte": f"−75{NBSP}% par rapport à 2024 (baisse)", "sens": "baisse"}


def test_en_retard_au_31_decembre_et_actions_sans_pole(annee):
    ctx = _contexte(annee)
    page_a = next(p for p in ctx["pages_poles"] if p["pole"] == annee.pole_a)
    assert (page_a["actions"]["total"], page_a["actions"]["en_retard"], page_a["actions"]["realisees"]) == (4, 2, 2)
    assert ctx["jour_retard"] == date(2025, 12, 31)
    [section] = ctx["sections_etablissement"]
    assert section["etablissement"] == annee.etab_a
    assert (section["actions"]["total"], section["actions"]["en_retard"]) == (2, 1)


def test_pas_de_page_pour_un_pole_vide(annee):
    ctx = _contexte(annee)
    assert [p["pole"].nom for p in ctx["pages_poles"]] == ["Pôle chirurgie A", "Pôle médecine A"]
    assert [p.nom for p in ctx["poles_sans_activite"]] == ["Pôle vide A"]


def test_gravite_dans_l_ordre_1_a_5_avec_autant_de_barres_que_de_lignes(annee):
    page_a = next(p for p in _contexte(annee)["pages_poles"] if p["pole"] == annee.pole_a)
    gravite = next(b for b in page_a["blocs"] if "gravité" in b["titre"])
    assert [lib for lib, _ in gravite["lignes"]][:5] == [
        "1 — Mineur", "2 — Significatif", "3 — Majeur", "4 — Critique", "5 — Catastrophique"]
    for bloc in page_a["blocs"]:
        assert str(bloc["svg"]).count('class="barre') == len(bloc["lignes"]), bloc["titre"]
        assert "…" not in str(bloc["svg"])


def test_le_texte_du_pdf(annee):
    pages = _pages(render_pdf(GABARIT, _contexte(annee)))
    couverture, synthese = pages[0], pages[1]
    assert "2025" in couverture and "CH A" in couverture and "N° FINESS 750000001" in couverture
    assert "GHT de test" in couverture
    assert "Chiffres clés 2025 : synthèse" in synthese and "Tendance sur 5 ans" in synthese and "valeurs des années 2021 à 2025" in synthese
    assert "1 238 demandes de dossiers médicaux" in synthese  # thousands separated
    assert "+150 % par rapport à 2024 (hausse)" in synthese
    assert "Évènements indésirables par gravité" in " ".join(pages)
    titres = [p.split(" — ")[0] for p in pages[2:]]
    assert not any(t.startswith("Pôle vide A") for t in titres)
    assert any(p.startswith("Établissement : actions hors pôle") for p in pages)
    assert "En retard au 31/12/2025" in " ".join(pages)


def test_le_separateur_de_milliers_est_une_espace_insecable(annee):
    brut = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(GABARIT, _contexte(annee)))).pages)
    assert re.search(r"1[\u00a0\u202f]238", brut), "séparateur de milliers insécable attendu"


def test_le_pdf_en_images(annee, tmp_path):
    """pdftoppm (poppler-utils) turns each page into a PNG: the expected pages, none blank."""
    from PIL import Image, ImageStat

    ctx = _contexte(annee)
    (tmp_path / "rapport.pdf").write_bytes(render_pdf(GABARIT, ctx))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / "rapport.pdf"), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    # cover, summary, 2 pôle pages (not the empty one), the établissement section, the annex
    assert len(images) == 6
    for chemin in images:
        with Image.open(chemin) as image:
            assert ImageStat.Stat(image.convert("L")).stddev[0] > 5, chemin.name  # something is printed
