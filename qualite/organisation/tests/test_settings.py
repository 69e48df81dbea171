"""Production settings: refuse to start without secrets; `check --deploy` clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    base.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_la_production_refuse_de_demarrer_sans_secret_key():
    result = _manage("check", ALLOWED_HOSTS="qualite.example", DATABASE_URL=os.environ["DATABASE_URL"])
    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire" in result.stderr


def test_la_production_refuse_de_demarrer_sans_database_url():
    result = _manage("check", SECRET_KEY="x" * 60, ALLOWED_HOSTS="qualite.example")
    assert result.returncode != 0
    assert "DATABASE_URL est obligatoire" in result.stderr


def test_check_deploy_est_propre():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="k8#p2!vZr9@qLm4$wXe7&tYu1^iOp0*aSd3(fGh6)jKl5_zXc8-vBn2+mQw9=eRt",
        ALLOWED_HOSTS="qualite.example",
        DATABASE_URL=os.environ["DATABASE_URL"],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
