"""Faults produced for real: a broker the test starts then stops, a report worker killed mid-report,
two beat processes. Nothing lost, nothing doubled, nothing stuck, no 500."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from evenements.models import Statut
from evenements.tests.factories import EvenementFactory
from qualite.pilotage.models import RapportAnnuel
from qualite.taches.models import TacheDifferee
from qualite.taches.services import taches_traiter

RACINE = Path(__file__).resolve().parents[3]
REDIS = shutil.which("redis-server")


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Courtier:
    """A Redis of the test's own, on a free port: the shared one is never stopped."""

    def __init__(self):
        self.port = _port_libre()
        self.dossier = tempfile.mkdtemp(prefix="courtier-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.processus = None

    def demarrer(self):
        self.processus = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dossier], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Redis de test injoignable")

    def arreter(self):
        if self.processus and self.processus.poll() is None:
            self.processus.terminate()
            self.processus.wait(10)


def _brancher(app, url):
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def courtier():
    if REDIS is None:
        pytest.skip("redis-server absent : installez le paquet redis-server")
    from config.celery import app

    ancien = app.conf.broker_url
    c = Courtier()
    c.demarrer()
    _brancher(app, c.url)
    yield c
    c.arreter()
    _brancher(app, ancien)
    shutil.rmtree(c.dossier, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
class TestCourtierArrete:
    def test_un_changement_d_etat_est_enregistre_et_sa_notification_attend_le_courtier(self, monde, client_de,
                                                                                       courtier):
        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"],
                              statut=Statut.PRIS_EN_CHARGE)
        courtier.arreter()
        debut = time.perf_counter()
        reponse = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("evenements:changer_statut", args=[ev.pk]), {"vers": Statut.CLOTURE})
        duree = time.perf_counter() - debut
        print(f"changement d'état, courtier arrêté : {duree:.2f} s")
        assert reponse.status_code == 302
        ev.refresh_from_db()
        assert ev.statut == Statut.CLOTURE
        attente = TacheDifferee.objects.get()
        assert attente.traitee_le is None and attente.tache == "evenements.tasks.notifier_declarant"
        assert mail.outbox == []
        courtier.demarrer()  # the broker is back: the periodic job delivers the row
        assert taches_traiter() == 1
        assert [m.to for m in mail.outbox] == [[monde.users["declarant"].email]]
        assert taches_traiter() == 0  # delivered once
        assert len(mail.outbox) == 1

    def test_un_rapport_demande_sans_courtier_est_refuse_en_francais_sans_ligne_fantome(self, monde, client_de,
                                                                                       courtier):
        courtier.arreter()
        debut = time.perf_counter()
        reponse = client_de(monde.users["direction"]).post(
            reverse("pilotage:rapports"), {"annee": timezone.localdate().year - 1, "etablissement": monde.etab_a.pk},
            follow=True)
        print(f"demande de rapport, courtier arrêté : {time.perf_counter() - debut:.2f} s")
        assert reponse.status_code == 200
        assert "ne répond pas : rien n'a été demandé" in texte(reponse)
        assert not RapportAnnuel.objects.exists()


def test_une_tache_qui_echoue_garde_sa_ligne_pour_plus_tard(db):
    from evenements.tasks import notifier_declarant
    from qualite.taches.services import tache_differer

    tache_differer(notifier_declarant, "pas-un-identifiant")
    assert taches_traiter() == 0
    ligne = TacheDifferee.objects.get()
    assert ligne.traitee_le is None and ligne.tentatives == 1 and "ValueError" in ligne.derniere_erreur


LANCEUR_OUVRIER = """
import sys, time
import django
django.setup()
import qualite.outils.pdf as pdf
rendre = pdf.render_pdf
def lent(*a, **k):
    time.sleep(120)  # long enough to be killed in the middle
    return rendre(*a, **k)
pdf.render_pdf = lent
from config.celery import app
app.worker_main(["worker", "--pool=prefork", "--concurrency=1", "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"])
"""


def _enfants(pid: int) -> list[int]:
    sortie = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in sortie.split()]


@pytest.mark.django_db(transaction=True)
def test_un_rapport_dont_l_ouvrier_est_tue_finit_en_echec_et_se_redemande(monde, courtier):
    """What the out-of-memory killer does: SIGKILL to the process running the report."""
    from qualite.pilotage.rapport import rapport_demander, rapports_bloques_terminer

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test", REDIS_URL=courtier.url,
               DATABASE_URL=_url_base_de_test(), MEDIA_ROOT=tempfile.mkdtemp(prefix="media-"))
    ouvrier = subprocess.Popen([sys.executable, "-c", LANCEUR_OUVRIER], cwd=RACINE, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        rapport = rapport_demander(par=monde.users["direction"], annee=timezone.localdate().year - 1,
                                   ght=monde.ght, etablissement=monde.etab_a)
        S = RapportAnnuel.Statut
        for _ in range(600):  # the worker starts and takes the report (polling a state, not timing it)
            rapport.refresh_from_db()
            if rapport.statut == S.EN_COURS and rapport.progression >= 30:
                break
            time.sleep(0.1)
        assert rapport.statut == S.EN_COURS, ouvrier.stderr.read1().decode() if ouvrier.poll() else "rien"
        enfants = _enfants(ouvrier.pid)
        assert enfants, "l'ouvrier n'a pas de processus enfant"
        for pid in enfants:
            os.kill(pid, signal.SIGKILL)
        time.sleep(2)  # let the parent notice the lost child; not a timing assertion
        rapport.refresh_from_db()
        assert rapport.statut == S.EN_COURS  # the fault is real: nothing reported it
        assert rapports_bloques_terminer() == 0  # too early to give up on it
        assert rapports_bloques_terminer(maintenant=timezone.now() + timedelta(seconds=961)) == 1
        rapport.refresh_from_db()
        assert rapport.statut == S.ECHEC and "demander le rapport à nouveau" in rapport.motif_echec
    finally:
        os.killpg(ouvrier.pid, signal.SIGKILL)
        ouvrier.wait(10)
    nouveau = rapport_demander(par=monde.users["direction"], annee=rapport.annee, ght=monde.ght,
                               etablissement=monde.etab_a)
    assert nouveau.version == 2


def _url_base_de_test() -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_deux_beats_n_envoient_qu_un_courriel_du_matin_par_personne(monde):
    from qualite.echeances.models import DigestEnvoye
    from qualite.echeances.tasks import envoyer_digest_echeances
    from qualite.organisation.tests.test_views import _echeances

    _echeances(monde, 2, delta=timedelta(days=-1))
    user = monde.users["gestionnaire_risques"]
    depart = threading.Barrier(2)
    resultats = []

    def beat():
        depart.wait()
        try:
            resultats.append(envoyer_digest_echeances.run(user.pk))
        finally:
            connection.close()

    fils = [threading.Thread(target=beat) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(60)
    assert sorted(resultats) == [False, True]
    assert len(mail.outbox) == 1
    assert DigestEnvoye.objects.filter(utilisateur=user).count() == 1
    assert envoyer_digest_echeances.run(user.pk) is False  # a third run the same day: still one
    assert len(mail.outbox) == 1


def test_le_delai_de_visibilite_du_courtier_depasse_la_plus_longue_tache():
    from qualite.pilotage.tasks import generer_rapport_annuel

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > generer_rapport_annuel.time_limit


def test_chaque_tache_differee_a_un_libelle_francais():
    from evenements.tasks import notifier_declarant
    from qualite.taches.models import LIBELLES

    assert notifier_declarant.name in LIBELLES
    assert str(TacheDifferee(tache=notifier_declarant.name, arguments=[12])).startswith("Courriel au déclarant")
