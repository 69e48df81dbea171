"""`make run`: embedded or real servers, migrations, demo data, then the web
server, a Celery worker and Celery beat until Ctrl-C, which stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from services import ROOT, VAR, Services  # noqa: E402

PY = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def _raise_exit(signum, frame):
    raise SystemExit(0)


def main():
    signal.signal(signal.SIGTERM, _raise_exit)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    services = Services().start()
    procs: list[subprocess.Popen] = []
    try:
        manage = [PY, str(ROOT / "manage.py")]
        subprocess.run(manage + ["migrate", "--noinput"], check=True, cwd=ROOT)
        # Five years of history at a real hospital's volume, written once (DEMO_HISTORIQUE=leger or aucun: less).
        print("Chargement de la démonstration (la première fois : cinq ans d'historique, moins d'une minute)…", flush=True)
        demo = subprocess.run(manage + ["demo", "--historique", os.environ.get("DEMO_HISTORIQUE", "complet")],
                              cwd=ROOT, capture_output=True, text=True)
        if demo.returncode:  # its output is captured (WeasyPrint's log is noisy): show why it failed
            print(demo.stdout.strip(), demo.stderr.strip()[-4000:], sep="\n", file=sys.stderr, flush=True)
            return demo.returncode
        (VAR / "logs").mkdir(parents=True, exist_ok=True)
        celery = [PY, "-m", "celery", "-A", "config"]
        commandes = {
            "web": manage + ["runserver", "--noreload", f"{HOST}:{PORT}"],
            "worker": celery + ["worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": celery + ["beat", "--loglevel=INFO", "--schedule", str(VAR / "celerybeat-schedule")],
        }
        for nom, cmd in commandes.items():
            log = open(VAR / "logs" / f"{nom}.log", "ab")
            procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        print()
        print(demo.stdout.strip())
        print()
        print(f"Application : http://{HOST}:{PORT}/   (journaux dans {VAR / 'logs'})")
        print("Ctrl-C pour tout arrêter.", flush=True)
        while True:
            for p in procs:
                if p.poll() is not None:
                    print(f"Un processus s'est arrêté (code {p.returncode}) : voir {VAR / 'logs'}.", flush=True)
                    return 1
            try:
                procs[0].wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        print("\nArrêt des processus…", flush=True)
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        services.stop()
        print("Tout est arrêté.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
