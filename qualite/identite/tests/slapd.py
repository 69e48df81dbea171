"""A real OpenLDAP server for the tests: Debian's `slapd`, started on a free port with its own configuration
and database in a temporary directory, loaded with people and groups, stopped at the end of the session."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualite.identite.tests.serveurs import arreter, port_libre

SUFFIXE = "dc=chu-test,dc=fr"
ADMIN_DN = f"cn=admin,{SUFFIXE}"
ADMIN_MDP = "secret-admin"
PERSONNES = f"ou=personnes,{SUFFIXE}"
GROUPES = f"ou=groupes,{SUFFIXE}"
MOT_DE_PASSE = "mdp-annuaire-1"

# Active Directory's userAccountControl, emulated on OpenLDAP: an INTEGER attribute on an auxiliary class, so
# that the same "account disabled" filter (bitwise-AND matching rule) runs against a real server.
SCHEMA_AD = """
attributetype ( 1.3.6.1.4.1.55555.1.1 NAME 'userAccountControl' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.55555.2.1 NAME 'compteAD' AUXILIARY MAY ( userAccountControl ) )
"""


def dn_personne(uid: str) -> str:
    return f"uid={uid},{PERSONNES}"


def dn_groupe(cn: str) -> str:
    return f"cn={cn},{GROUPES}"


# uid -> (prénom, nom, userAccountControl)
PERSONNES_LDIF = {
    "alice": ("Alice", "Martin", 512),
    "bruno": ("Bruno", "Petit", 512),
    "carole": ("Carole", "Durand", 512),  # in the deny group
    "denis": ("Denis", "Moreau", 514),  # 512 + 2: disabled the AD way
    "gestionnaire_risques": ("Homonyme", "D'un compte local", 512),
}
# cn -> members
GROUPES_LDIF = {
    "qualite-gdr": ["alice"],
    "cadres-medecine": ["bruno"],
    "direction": ["alice"],
    "comptes-desactives": ["carole"],
    "tous": ["alice", "bruno", "carole", "denis", "gestionnaire_risques"],
}


def _ldif() -> str:
    blocs = [
        f"dn: {SUFFIXE}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: CHU test\ndc: chu-test",
        f"dn: {PERSONNES}\nobjectClass: organizationalUnit\nou: personnes",
        f"dn: {GROUPES}\nobjectClass: organizationalUnit\nou: groupes",
    ]
    for uid, (prenom, nom, uac) in PERSONNES_LDIF.items():
        blocs.append(
            f"dn: {dn_personne(uid)}\nobjectClass: inetOrgPerson\nobjectClass: compteAD\nuid: {uid}\n"
            f"cn: {prenom} {nom}\ngivenName: {prenom}\nsn: {nom}\nmail: {uid}@chu-test.fr\n"
            f"userPassword: {MOT_DE_PASSE}\nuserAccountControl: {uac}")
    for cn, membres in GROUPES_LDIF.items():
        # groupOfNames needs a member: the administrator holds every group, so a test may empty one.
        blocs.append(f"dn: {dn_groupe(cn)}\nobjectClass: groupOfNames\ncn: {cn}\nmember: {ADMIN_DN}\n"
                     + "\n".join(f"member: {dn_personne(m)}" for m in membres))
    return "\n\n".join(blocs) + "\n"


@dataclass
class Annuaire:
    uri: str

    def connexion(self):
        import ldap

        conn = ldap.initialize(self.uri)
        conn.simple_bind_s(ADMIN_DN, ADMIN_MDP)
        return conn

    def ajouter_au_groupe(self, cn: str, uid: str) -> None:
        import ldap

        self.connexion().modify_s(dn_groupe(cn), [(ldap.MOD_ADD, "member", [dn_personne(uid).encode()])])

    def retirer_du_groupe(self, cn: str, uid: str) -> None:
        import ldap

        self.connexion().modify_s(dn_groupe(cn), [(ldap.MOD_DELETE, "member", [dn_personne(uid).encode()])])


def _slapd() -> str | None:
    return shutil.which("slapd") or next((p for p in ("/usr/sbin/slapd",) if os.path.exists(p)), None)


def _attendre(uri: str, processus) -> None:
    """Ready when an anonymous search answers; a server that died is reported with its output."""
    import ldap

    fin = time.monotonic() + 20
    while True:
        if processus.poll() is not None:
            raise RuntimeError(f"slapd s'est arrêté : {processus.stdout.read().decode(errors='replace')[-2000:]}")
        try:
            conn = ldap.initialize(uri)
            conn.simple_bind_s(ADMIN_DN, ADMIN_MDP)
            return
        except ldap.SERVER_DOWN:
            if time.monotonic() > fin:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="session")
def annuaire():
    slapd = _slapd()
    if slapd is None:
        message = "slapd absent : tests de l'annuaire ignorés (apt-get install slapd ldap-utils)"
        if os.environ.get("EXIGER_LDAP") == "1":
            pytest.fail(message + " ; EXIGER_LDAP=1 exige qu'ils tournent.")
        pytest.skip(message)
    slapadd = shutil.which("slapadd") or "/usr/sbin/slapadd"
    with tempfile.TemporaryDirectory(prefix="slapd-test-") as dossier:
        d = Path(dossier)
        (d / "donnees").mkdir()
        (d / "ad.schema").write_text(SCHEMA_AD)
        (d / "slapd.conf").write_text(f"""
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include {d / "ad.schema"}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {d / "slapd.pid"}
argsfile {d / "slapd.args"}
database mdb
maxsize 10485760
suffix "{SUFFIXE}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_MDP}
directory {d / "donnees"}
index objectClass eq
index uid eq
index member eq
access to attrs=userPassword by anonymous auth by * none
access to * by * read
""")
        (d / "donnees.ldif").write_text(_ldif())
        subprocess.run([slapadd, "-f", str(d / "slapd.conf"), "-l", str(d / "donnees.ldif")], check=True,
                       capture_output=True)
        port = port_libre()
        uri = f"ldap://127.0.0.1:{port}"
        # -d 0: stays in the foreground, so the fixture owns the process and stops it.
        processus = subprocess.Popen([slapd, "-f", str(d / "slapd.conf"), "-h", uri + "/", "-d", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            _attendre(uri, processus)
            yield Annuaire(uri)
        finally:
            arreter(processus)
