# Two commands: `make run` and `make test`. Everything else is installed on demand.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installe

.PHONY: run test install lint chromium clamav slapd axe clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -e /usr/include/ldap.h || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libldap2-dev libsasl2-dev >/dev/null; } ; } || \
		echo "python-ldap se compile avec libldap2-dev et libsasl2-dev : sudo apt-get install libldap2-dev libsasl2-dev"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) scripts/run.py

# The browser tests need Chromium: installed from Debian's packages when missing and possible.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ; } || \
		echo "Chromium absent : les tests navigateur seront ignorés (sudo apt-get install chromium)."

# The attachments' antivirus test starts a real clamd (Debian's clamav-daemon), installed the same way.
clamav:
	@{ command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ]; } || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon >/dev/null; } ; } || \
		echo "clamd absent : le test de l'antivirus sera ignoré (sudo apt-get install clamav-daemon)."

# The directory tests start a real OpenLDAP server (Debian's slapd), installed the same way.
slapd:
	@[ -x /usr/sbin/slapd ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils >/dev/null; } ; } || \
		echo "slapd absent : les tests de l'annuaire seront ignorés (sudo apt-get install slapd ldap-utils)."

# The accessibility test runs axe-core, from the npm registry (package.json, package-lock.json).
axe:
	@test -f node_modules/axe-core/axe.min.js || { command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; } ; } ; \
		command -v npm >/dev/null 2>&1 && npm ci --no-audit --no-fund --silent ; } || \
		echo "npm absent : le contrôle d'accessibilité (axe-core) sera ignoré (sudo apt-get install npm)."

test: $(STAMP) chromium clamav slapd axe
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) scripts/services.py -- $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf var/static var/logs
