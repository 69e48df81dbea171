"""Petits effectifs masqués partout où ils atteignent la CDU et les représentants des usagers :
version anonymisée du rapport annuel (tableaux, barres, totaux), tableau de bord CDU, statistiques
des évènements et rapport annuel de la CDU (docs/pilotage.md, « Anonymat des petits effectifs »)."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import texte
from evenements.models import DeclarationARS, TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.outils.pdf import render_pdf
from qualite.pilotage.rapport import contexte_rapport

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TITRE_TYPE = "Évènements indésirables par type"


def _annee_avec_un_evenement(monde):
    """2025 : le pôle chirurgie A n'a qu'un évènement ; le pôle médecine A en a 5 d'un type et 1 d'un autre."""
    t1, t2 = TypeEvenement.objects.order_by("ordre")[:2]
    EvenementFactory(service=monde.service_a2, type=t1, survenu_le=datetime(2025, 3, 1, tzinfo=PARIS))
    for jour in range(1, 6):
        EvenementFactory(service=monde.service_a, type=t1, survenu_le=datetime(2025, 4, jour, tzinfo=PARIS))
    EvenementFactory(service=monde.service_a, type=t2, survenu_le=datetime(2025, 5, 1, tzinfo=PARIS))
    return t1, t2


def _bloc(ctx, pole, titre=TITRE_TYPE):
    page = next(p for p in ctx["pages_poles"] if p["pole"] == pole)
    return next(b for b in page["blocs"] if b["titre"] == titre)


def _etiquettes(svg) -> list[str]:
    import html

    return [html.unescape(t) for t in re.findall(r'<text class="valeur"[^>]*>([^<]*)</text>', str(svg))]


def _pdf_texte(contenu: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(contenu)).pages).split())


def test_pdf_cdu_un_evenement_dans_un_pole_affiche_moins_de_3_et_jamais_le_total_exact(monde):
    _annee_avec_un_evenement(monde)
    ctx = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=True, titre="CH A")
    pdf = _pdf_texte(render_pdf("qualite/pilotage/pdf/rapport_annuel.html", ctx))
    page = pdf.split("Pôle chirurgie A")[1].split("Plan d'actions du pôle")[0]
    assert "< 3" in page
    assert f"{TITRE_TYPE} (1)" not in page and f"{TITRE_TYPE} (< 3)" in page
    # aucun 1 ni 2 affiché comme effectif (« 2 — Significatif » est un libellé de gravité)
    assert not re.search(r"\b[12]\b(?! —)", page.replace("< 3", "")), page


def test_barres_cdu_aucune_barre_ne_porte_1_ou_2(monde):
    _annee_avec_un_evenement(monde)
    ctx = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=True, titre="CH A")
    for pole in (monde.pole_a, monde.pole_a2):
        for bloc in next(p for p in ctx["pages_poles"] if p["pole"] == pole)["blocs"]:
            etiquettes = _etiquettes(bloc["svg"])
            assert not {"1", "2"} & set(etiquettes), (pole, bloc["titre"], etiquettes)
    assert "< 3" in _etiquettes(_bloc(ctx, monde.pole_a2)["svg"])
    assert "1" not in re.sub(r"graphe-\d+", "", re.search(r"<desc[^>]*>(.*?)</desc>",
                                                              str(_bloc(ctx, monde.pole_a2)["svg"])).group(1))


def test_hauteur_de_la_barre_masquee_ne_depend_pas_de_sa_valeur(monde):
    t1, _ = _annee_avec_un_evenement(monde)

    def svg():
        ctx = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=True, titre="CH A")
        return re.sub(r"graphe-\d+", "", str(_bloc(ctx, monde.pole_a2)["svg"]))

    avec_un = svg()
    EvenementFactory(service=monde.service_a2, type=t1, survenu_le=datetime(2025, 6, 1, tzinfo=PARIS))
    assert svg() == avec_un  # 1 ou 2 : le même dessin, rien n'encode la valeur


def test_total_du_bloc_ne_permet_pas_de_retrouver_une_case_masquee(monde):
    t1, t2 = _annee_avec_un_evenement(monde)
    ctx = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=True, titre="CH A")
    for page in ctx["pages_poles"]:
        for bloc in page["blocs"]:
            masquees = [n for _, n in bloc["lignes"] if isinstance(n, str)]
            if masquees and isinstance(bloc["total"], int):
                # total − cases visibles = somme d'au moins deux cases masquées, pas une seule
                assert len(masquees) >= 2, (page["pole"], bloc)
    a2 = _bloc(ctx, monde.pole_a2)
    assert a2["lignes"] == [(t1.libelle, "< 3")] and a2["total"] == "< 3"
    a = dict(_bloc(ctx, monde.pole_a)["lignes"])
    assert a[t2.libelle] == "< 3" and a[t1.libelle] == "masqué"  # masquage secondaire du plus petit voisin


def test_version_direction_exacte_et_version_cdu_masquee(monde):
    t1, t2 = _annee_avec_un_evenement(monde)
    direction = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=False, titre="CH A")
    cdu = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=True, titre="CH A")
    assert _bloc(direction, monde.pole_a2)["lignes"] == [(t1.libelle, 1)]
    assert _bloc(direction, monde.pole_a2)["total"] == 1
    assert _etiquettes(_bloc(direction, monde.pole_a2)["svg"]) == ["1"]
    assert dict(_bloc(direction, monde.pole_a)["lignes"]) == {t1.libelle: 5, t2.libelle: 1}
    assert _etiquettes(_bloc(cdu, monde.pole_a2)["svg"]) == ["< 3"]
    pdf = _pdf_texte(render_pdf("qualite/pilotage/pdf/rapport_annuel.html", direction))
    assert f"{TITRE_TYPE} (1)" in pdf.split("Pôle chirurgie A")[1]


def test_chiffres_cles_de_la_version_cdu_masques(monde):
    ev = EvenementFactory(service=monde.service_a, survenu_le=datetime(2025, 3, 1, tzinfo=PARIS))
    DeclarationARS.objects.create(evenement=ev, partie1_envoyee_le=datetime(2025, 3, 2, tzinfo=PARIS))
    cdu = {c["code"]: c for c in contexte_rapport(annee=2025, etablissements=[monde.etab_a, monde.etab_b],
                                                 anonyme=True, titre="GHT")["chiffres"]}
    assert cdu["eig_ars"]["total"] == "< 3" and cdu["eig_ars"]["par_etablissement"][0]["n"] == "< 3"
    assert cdu["ei"]["total"] == "< 3"


def test_tableau_de_bord_cdu_masque_chiffres_et_courbes(monde, client_de):
    ev = EvenementFactory(service=monde.service_a, survenu_le=datetime(2025, 3, 1, tzinfo=PARIS))
    DeclarationARS.objects.create(evenement=ev, partie1_envoyee_le=datetime(2025, 3, 2, tzinfo=PARIS))
    response = client_de(monde.users["membre_cdu"]).get(reverse("pilotage:tableau_cdu"), {"annee": 2025})
    assert response.status_code == 200
    corps = texte(response)
    assert re.search(r'data-chiffre="eig_ars">< 3<', corps)
    assert not re.search(r'data-chiffre="[a-z_]+">[12]<', corps)
    for c in response.context["chiffres"]:
        assert not {"1", "2"} & set(_etiquettes(c["svg"])), c["code"]


def test_statistiques_evenements_vues_par_la_cdu(monde, client_de):
    t1, t2 = TypeEvenement.objects.order_by("ordre")[:2]
    EvenementFactory(service=monde.service_a, type=t2, gravite=3, vraisemblance=4)
    for _ in range(4):
        EvenementFactory(service=monde.service_a, type=t1)
    cdu = client_de(monde.users["membre_cdu"]).get(reverse("evenements:statistiques"))
    stats = cdu.context["stats"]
    assert stats["matrice"] == {(3, 4): "< 3"}
    assert {r["type__libelle"]: r["n"] for r in stats["par_type"]} == {t2.libelle: "< 3", t1.libelle: "masqué"}
    assert stats["eigs"] == 0 and stats["total"] == 5
    assert not {"1", "2"} & set(_etiquettes(cdu.context["svg_mois"]))
    gestionnaire = client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:statistiques"))
    assert gestionnaire.context["stats"]["matrice"] == {(3, 4): 1}


def _reclamations(monde, natures):
    from usagers.relations.models import Reclamation

    for i, nature in enumerate(natures):
        r = Reclamation.objects.create(reference=f"REC-A-{i}", etablissement=monde.etab_a, nature=nature, canal="courrier",
                                       categories=["soins"], auteur_nom="A", lien_patient="lui-même", objet="o",
                                       recue_le=date(2025, 5, 1 + i), created_by=monde.users["administrateur"])
        r.services.set([monde.service_a])


def test_rapport_annuel_de_la_cdu_page_et_pdf(monde, client_de):
    _reclamations(monde, ["plainte"] * 4 + ["eloge"])
    client = client_de(monde.users["membre_cdu"])
    d = client.get(reverse("usagers:rapport_cdu"), {"annee": 2025}).context["d"]
    natures = dict(d["reclamations"]["par_nature"])
    assert "< 3" in natures.values() and 1 not in natures.values()
    assert not any(isinstance(n, int) and 0 < n < 3 for n in natures.values())
    pdf = client.get(reverse("usagers:rapport_cdu"), {"annee": 2025, "format": "pdf"})
    texte_pdf = _pdf_texte(pdf.content)
    assert "< 3" in texte_pdf
    exact = client_de(monde.users["relations_usagers"]).get(reverse("usagers:rapport_cdu"), {"annee": 2025}).context["d"]
    assert 1 in dict(exact["reclamations"]["par_nature"]).values()


def test_chiffres_annuels_des_soins_sans_consentement_vus_par_la_cdu(monde, client_de):
    from usagers.ssc.models import MesureSoinsSansConsentement, ModeAdmission, PatientSSC

    patient = PatientSSC.objects.create(etablissement=monde.etab_a, ipp="1", nom="X", prenom="Y",
                                        date_naissance=date(1980, 1, 1))
    for i, mode in enumerate([ModeAdmission.SDT] + [ModeAdmission.SDRE] * 4):
        MesureSoinsSansConsentement.objects.create(
            reference=f"SSC-A-{i}", patient=patient, etablissement=monde.etab_a, pole=monde.pole_a,
            service=monde.service_a, mode=mode, t0=datetime(2025, 2, 1 + i, tzinfo=PARIS))
    cdu = client_de(monde.users["representant_usagers"]).get(reverse("usagers:ssc_statistiques")).context["stats"]
    assert {r["mode"]: r["n"] for r in cdu["mesures"]} == {ModeAdmission.SDT: "< 3", ModeAdmission.SDRE: "masqué"}
    exact = client_de(monde.users["bureau_admissions"]).get(reverse("usagers:ssc_statistiques")).context["stats"]
    assert {r["mode"]: r["n"] for r in exact["mesures"]} == {ModeAdmission.SDT: 1, ModeAdmission.SDRE: 4}
