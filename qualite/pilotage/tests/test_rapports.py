import io
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from qualite.organisation.models import AuditEntry
from qualite.organisation.templatetags.qualite_format import pluriel
from qualite.pilotage.models import RapportAnnuel
from qualite.pilotage.rapport import contexte_rapport, rapport_generer
from qualite.pilotage.tests.test_chiffres import construire_annee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _texte_pdf(fichier) -> str:
    with fichier.open("rb") as f:
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)


def _rapport(monde, **kw):
    return RapportAnnuel.objects.create(annee=2025, ght=monde.ght, etablissement=kw.pop("etablissement", monde.etab_a),
                                        demande_par=monde.users["direction"], **kw)


def test_chiffres_du_constructeur_de_contexte(monde):
    construire_annee(monde)
    ctx = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=False, titre="CH A")
    assert {c["code"]: c["total"] for c in ctx["chiffres"]} == {
        "ei": 5, "eig_ars": 1, "analyses": 2, "ssc": 3, "cdu": 2, "dossiers": 4, "reclamations": 3,
        "patients_traceurs": 0, "epp": 0, "processus": 0, "binomes": 0, "audits": 0, "enquetes": 0,
        "risques": 0, "risques_evenements": 0}
    page_a = next(p for p in ctx["pages_poles"] if p["pole"] == monde.pole_a)
    assert page_a["blocs"][0]["total"] == 4


def test_le_texte_du_pdf_contient_chaque_chiffre_avec_son_libelle(monde):
    construire_annee(monde)
    r = _rapport(monde)
    rapport_generer(rapport=r)
    r.refresh_from_db()
    assert r.statut == "pret" and r.progression == 100
    texte = _texte_pdf(r.fichier)
    ctx = contexte_rapport(annee=2025, etablissements=[monde.etab_a], anonyme=False, titre="x")
    for c in ctx["chiffres"]:
        libelle = c["libelle"] if pluriel(c["total"]) else c["singulier"]  # « 1 analyse », « 2 analyses »
        assert f"{c['total']} {libelle}" in " ".join(texte.split()), c["code"]
        assert c["definition"][:40] in " ".join(texte.split())
    assert "Pôle médecine A" in texte


def test_la_version_anonymisee_masque_les_petits_effectifs(monde):
    construire_annee(monde)
    r = _rapport(monde)
    rapport_generer(rapport=r)
    r.refresh_from_db()
    anonyme = " ".join(_texte_pdf(r.fichier_anonyme).split())
    assert "version anonymisée" in anonyme and "< 3" in anonyme


def test_un_echec_est_relance_puis_signale(monde, monkeypatch):
    from config.celery import app
    from qualite.pilotage import rapport as module
    from qualite.pilotage.tasks import generer_rapport_annuel

    appels = []

    def panne(**kw):
        appels.append(1)
        raise OSError("disque plein")

    monkeypatch.setattr(module, "rapport_generer", panne)
    r = _rapport(monde)
    app.conf.task_always_eager = True
    try:
        generer_rapport_annuel.apply(args=[r.pk])
    finally:
        app.conf.task_always_eager = False
    r.refresh_from_db()
    assert len(appels) == 3  # first run + 2 retries
    assert r.statut == "echec" and "disque plein" in r.motif_echec


def test_regenerer_garde_les_versions_precedentes(monde, django_capture_on_commit_callbacks):
    from qualite.pilotage.rapport import rapport_demander

    with django_capture_on_commit_callbacks(execute=False):
        v1 = rapport_demander(par=monde.users["direction"], annee=2025, ght=monde.ght, etablissement=monde.etab_a)
        v2 = rapport_demander(par=monde.users["direction"], annee=2025, ght=monde.ght, etablissement=monde.etab_a)
    assert (v1.version, v2.version) == (1, 2)
    assert RapportAnnuel.objects.count() == 2


class TestVues:
    def test_le_membre_de_la_cdu_ne_genere_pas_et_recoit_le_fichier_anonymise(self, monde, client_de):
        r = _rapport(monde)
        rapport_generer(rapport=r)
        client = client_de(monde.users["membre_cdu"])
        assert client.post(reverse("pilotage:rapports"), {"annee": 2025, "etablissement": monde.etab_a.pk}).status_code == 403
        response = client.get(reverse("pilotage:rapport_telecharger", args=[r.pk]))
        r.refresh_from_db()
        assert response["Content-Disposition"].endswith('-anonyme.pdf"')
        assert AuditEntry.objects.filter(action="export").exists()

    def test_le_directeur_telecharge_la_version_complete(self, monde, client_de):
        r = _rapport(monde)
        rapport_generer(rapport=r)
        response = client_de(monde.users["direction"]).get(reverse("pilotage:rapport_telecharger", args=[r.pk]))
        assert "anonyme" not in response["Content-Disposition"]

    def test_le_rapport_d_un_autre_etablissement_donne_404(self, monde, client_de):
        r = _rapport(monde, etablissement=monde.etab_b)
        rapport_generer(rapport=r)
        assert client_de(monde.users["direction"]).get(reverse("pilotage:rapport_telecharger", args=[r.pk])).status_code == 404
        assert client_de(monde.direction_ght).get(reverse("pilotage:rapport_telecharger", args=[r.pk])).status_code == 200

    def test_annee_future_et_ght_sans_droits_refuses(self, monde, client_de):
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.post(reverse("pilotage:rapports"), {"annee": 2999})
        form = response.context["form"]
        assert form.errors["annee"] and form.errors["etablissement"]
        assert not RapportAnnuel.objects.exists()

    def test_le_declarant_n_a_pas_de_rapport(self, monde, client_de):
        assert client_de(monde.users["declarant"]).get(reverse("pilotage:rapports")).status_code == 403

    @pytest.mark.parametrize("url, role, code", [
        ("pilotage:tableau_direction", "direction", 200), ("pilotage:tableau_direction", "membre_cdu", 403),
        ("pilotage:tableau_cdu", "membre_cdu", 200), ("pilotage:tableau_cdu", "declarant", 403),
        ("pilotage:tableau_pole", "cadre_pole", 200), ("pilotage:tableau_pole", "representant_usagers", 403),
    ])
    def test_tableaux_de_bord_par_role(self, monde, client_de, url, role, code):
        assert client_de(monde.users[role]).get(reverse(url)).status_code == code

    def test_chiffres_du_tableau_de_bord_et_nombre_de_requetes(self, monde, client_de, django_assert_max_num_queries):
        construire_annee(monde)
        client = client_de(monde.users["direction"])
        with django_assert_max_num_queries(21):
            response = client.get(reverse("pilotage:tableau_direction"), {"annee": 2025})
        assert {c["code"]: c["total"] for c in response.context["chiffres"]}["ei"] == 5
        cdu = client_de(monde.users["membre_cdu"]).get(reverse("pilotage:tableau_cdu"), {"annee": 2025})
        assert "Cardiologie" not in cdu.content.decode()

    def test_le_tableau_de_bord_de_pole_est_celui_du_cadre(self, monde, client_de):
        construire_annee(monde)
        response = client_de(monde.users["cadre_pole"]).get(reverse("pilotage:tableau_pole"), {"annee": 2025, "pole": monde.pole_a2.pk})
        assert response.context["pole"] == monde.pole_a
        assert {c["code"]: c["total"] for c in response.context["chiffres"]}["ei"] == 4


@pytest.mark.django_db(transaction=True)
def test_rapport_construit_par_un_vrai_worker_celery_via_redis(monde, settings):
    """The task goes through the Redis broker to a worker thread: no eager mode."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from conftest import recharger_referentiels
    from qualite.pilotage.rapport import rapport_demander

    recharger_referentiels()
    construire_annee(monde)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        r = rapport_demander(par=monde.users["direction"], annee=2025, ght=monde.ght, etablissement=monde.etab_a)
        fin = time.monotonic() + 120
        while time.monotonic() < fin:
            r.refresh_from_db()
            if r.statut in ("pret", "echec"):
                break
            time.sleep(0.2)
    assert r.statut == "pret", r.motif_echec
    assert default_storage.exists(r.fichier.name) and default_storage.exists(r.fichier_anonyme.name)
