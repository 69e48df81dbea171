"""Confirmed imports run by the worker: progress, one import per file, failure with its reason, never stuck."""

import io
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from evenements.models import EvenementIndesirable, TransitionEvenement
from qualite.organisation.models import AuditEntry
from qualite.outils import vues_import
from qualite.taches import services
from qualite.taches.models import ImportFichier

ENTETE = "Référence;Survenu le;Établissement;Service;Type;Personnes concernées;Description;Gravité estimée"


def _fichier(n: int, nom="grand.csv"):
    lignes = [ENTETE] + [f";01/03/2026 {i % 24:02d}:{i % 60:02d};CH A;Cardiologie A;Chute;Patient;Chute n° {i};2"
                         for i in range(n)]
    f = io.BytesIO(("\n".join(lignes) + "\n").encode())
    f.name = nom
    return f


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


@pytest.fixture
def en_tache(settings, tmp_path, monkeypatch):
    """Every confirmation goes to the worker (as a file above SYNCHRONE_MAX rows would)."""
    settings.IMPORT_TEMP_DIR = tmp_path
    monkeypatch.setattr(vues_import, "SYNCHRONE_MAX", 0)
    return tmp_path


def _deposer(client, n=5):
    response = client.post(reverse("qualite:importer"), {"registre": "evenements", "fichier": _fichier(n)})
    assert response.status_code == 200 and f"{n} création" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_import_confirme_ecrit_par_un_vrai_worker_celery_via_redis(monde, client_de, gestionnaire, en_tache):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from conftest import recharger_referentiels

    recharger_referentiels()
    client = client_de(gestionnaire)
    _deposer(client, 30)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = client.post(reverse("qualite:importer_confirmer"))
        demande = ImportFichier.objects.get()
        assert response.status_code == 302 and response.url == reverse("qualite:import_suivi", args=[demande.pk])
        fin = time.monotonic() + 120
        while time.monotonic() < fin and not demande.fini:
            time.sleep(0.2)
            demande.refresh_from_db()
    assert demande.statut == ImportFichier.Statut.TERMINE, demande.motif_echec
    assert (demande.crees, demande.progression) == (30, 100)
    assert EvenementIndesirable.objects.count() == TransitionEvenement.objects.count() == 30
    assert AuditEntry.objects.filter(action="creation").count() == 30
    assert list(en_tache.iterdir()) == []  # the pending file is removed
    page = client.get(reverse("qualite:import_suivi", args=[demande.pk]))
    assert "Import terminé : 30 créations" in texte(page) and b'http-equiv="refresh"' not in page.content


def test_une_seconde_confirmation_ne_lance_pas_un_second_import(monde, client_de, gestionnaire, en_tache, monkeypatch):
    lancees = []
    monkeypatch.setattr(services, "import_lancer", lambda *, demande: lancees.append(demande.pk))
    client = client_de(gestionnaire)
    _deposer(client)
    attente = dict(client.session[vues_import.CLE_SESSION])
    premiere = client.post(reverse("qualite:importer_confirmer"))
    session = client.session  # the second click was sent before the first answer: it still carries the file
    session[vues_import.CLE_SESSION] = attente
    session.save()
    seconde = client.post(reverse("qualite:importer_confirmer"))
    demande = ImportFichier.objects.get()
    assert premiere.url == seconde.url == reverse("qualite:import_suivi", args=[demande.pk])
    assert lancees == [demande.pk]
    services.import_executer(demande_id=demande.pk)
    services.import_executer(demande_id=demande.pk)  # a redelivered task finds it done
    assert EvenementIndesirable.objects.count() == 5


def test_la_page_suit_l_import_et_se_rafraichit_sans_javascript(monde, client_de, gestionnaire):
    demande = ImportFichier.objects.create(jeton="a" * 32, registre="evenements", nom_fichier="x.csv", lignes=10,
                                           demande_par=gestionnaire, statut="en_cours", etape="Enregistrement : 4 ligne(s) sur 10",
                                           progression=45)
    page = client_de(gestionnaire).get(reverse("qualite:import_suivi", args=[demande.pk]))
    assert b'http-equiv="refresh"' in page.content and "Enregistrement : 4 ligne(s) sur 10" in texte(page)
    assert client_de(monde.user_b).get(reverse("qualite:import_suivi", args=[demande.pk])).status_code == 404
    assert client_de(monde.users["declarant"]).get(reverse("qualite:import_suivi", args=[demande.pk])).status_code == 403


def test_un_import_dont_le_worker_est_perdu_finit_en_echec_avec_sa_raison(monde, client_de, gestionnaire):
    demande = ImportFichier.objects.create(jeton="b" * 32, registre="evenements", nom_fichier="x.csv",
                                           demande_par=gestionnaire, statut="en_cours", progression=40,
                                           progression_le=timezone.now() - timedelta(minutes=20))
    page = client_de(gestionnaire).get(reverse("qualite:import_suivi", args=[demande.pk]))
    demande.refresh_from_db()
    assert demande.statut == "echec" and "Import interrompu sans réponse du service" in texte(page)
    assert b'http-equiv="refresh"' not in page.content


def test_une_ligne_refusee_a_l_execution_n_ecrit_rien_et_s_affiche(monde, client_de, gestionnaire, en_tache, monkeypatch):
    monkeypatch.setattr(services, "import_lancer", lambda *, demande: None)
    client = client_de(gestionnaire)
    _deposer(client, 4)
    client.post(reverse("qualite:importer_confirmer"))
    demande = ImportFichier.objects.get()
    chemin = next(en_tache.iterdir())  # the file changed on disk before the worker read it: one row is now invalid
    chemin.write_bytes(chemin.read_bytes().replace(b"Chute n\xc2\xb0 2;2", b"Chute n\xc2\xb0 2;9"))
    services.import_executer(demande_id=demande.pk)
    demande.refresh_from_db()
    assert demande.statut == "echec" and len(demande.erreurs) == 1 and "ligne 4" in demande.erreurs[0]
    assert EvenementIndesirable.objects.count() == 0 and AuditEntry.objects.filter(action="creation").count() == 0
    page = client.get(reverse("qualite:import_suivi", args=[demande.pk]))
    assert "rien n'a été enregistré" in texte(page) and "ligne 4" in texte(page)


def test_courtier_injoignable_rien_n_est_demande_et_le_fichier_reste(monde, client_de, gestionnaire, en_tache, monkeypatch):
    from qualite.taches import tasks

    def panne(*a, **kw):
        raise ConnectionError("courtier arrêté")

    monkeypatch.setattr(tasks.importer_fichier, "delay", panne)
    client = client_de(gestionnaire)
    _deposer(client)
    response = client.post(reverse("qualite:importer_confirmer"), follow=True)
    assert "Le service d'import ne répond pas" in texte(response)
    assert ImportFichier.objects.count() == 0 and len(list(en_tache.iterdir())) == 1
    assert vues_import.CLE_SESSION in client.session
