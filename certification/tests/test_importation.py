"""Audits, EPP and evaluations as files: export → import unchanged, updates and creations audited,
bad rows refused with line and column and nothing written."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from certification.models import EPP, Audit, Evaluation
from qualite.organisation.models import AuditEntry, Utilisateur
from qualite.outils import importation

MODELES = {"audits": Audit, "epp": EPP, "evaluations": Evaluation}


@pytest.fixture
def qualiticien(monde):
    return monde.users["gestionnaire_risques"]


def _importer(code, contenu, user, nom="fichier.csv"):
    analyse = importation.analyser(importation.REGISTRES[code], contenu, utilisateur=user, nom_fichier=nom)
    return importation.ecrire(analyse, utilisateur=user)


def _erreurs(code, contenu, user):
    return [(e.ligne, e.colonne) for e in _importer(code, contenu, user).erreurs]


def _export(client, code, fmt):
    response = client.get(reverse("certification:exporter", args=[code]), {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if fmt == "csv" else response.content


def _etat(modele):
    return [(model_to_dict(o, exclude=["criteres"]), o.updated_at) for o in modele.objects.order_by("pk")]


def _donnees(monde):
    Audit.objects.create(titre="Audit « dossier patient » ; tenue", date=date(2026, 2, 3), etablissement=monde.etab_a,
                         service=monde.service_a, constats="Traçabilité incomplète.\nÀ revoir en juin.")
    Audit.objects.create(titre="Audit circuit du médicament", date=date(2026, 4, 1), etablissement=monde.etab_a)
    Audit.objects.create(titre="Hors périmètre", date=date(2026, 4, 1), etablissement=monde.etab_b)
    EPP.objects.create(theme="Pertinence des transfusions", pilotes="Dr Martin\nMme Leroy", etat=EPP.Etat.EN_COURS,
                       etablissement=monde.etab_a, pole=monde.pole_a, date_debut=date(2026, 1, 5),
                       date_fin=date(2026, 12, 15))
    EPP.objects.create(theme="Douleur", pilotes="Dr Durand", etablissement=monde.etab_a)
    EPP.objects.create(theme="Hors périmètre", pilotes="X", etablissement=monde.etab_b)
    Evaluation.objects.create(methode=Evaluation.Methode.PATIENT_TRACEUR, date=date(2026, 3, 10),
                              etablissement=monde.etab_a, service=monde.service_a2,
                              evaluateurs="Qualiticien\nCadre de santé", constats="Points positifs ; écarts.")
    Evaluation.objects.create(methode=Evaluation.Methode.OBSERVATION, date=date(2026, 3, 11),
                              etablissement=monde.etab_a, evaluateurs="Qualiticien")
    Evaluation.objects.create(methode=Evaluation.Methode.OBSERVATION, date=date(2026, 3, 11),
                              etablissement=monde.etab_b, evaluateurs="Autre")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("code", ["audits", "epp", "evaluations"])
def test_un_export_se_reimporte_sans_changement(monde, client_de, qualiticien, code, fmt):
    _donnees(monde)
    avant = {c: _etat(m) for c, m in MODELES.items()}
    contenu = _export(client_de(qualiticien), code, fmt)
    assert AuditEntry.objects.filter(action="export", details__registre=code, details__lignes=2).exists()
    bilan = _importer(code, contenu, qualiticien, f"export.{fmt}")
    assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 2)
    assert {c: _etat(m) for c, m in MODELES.items()} == avant


@pytest.mark.parametrize("code", ["audits", "epp", "evaluations"])
def test_l_export_a_exactement_les_colonnes_de_l_import(monde, client_de, qualiticien, code):
    _donnees(monde)
    lignes = _export(client_de(qualiticien), code, "csv").decode("utf-8-sig").splitlines()
    assert lignes[0].split(";") == importation.REGISTRES[code].noms
    prefixe = {"audits": "AUD", "epp": "EPP", "evaluations": "EVA"}[code]
    premier = MODELES[code].objects.filter(etablissement=monde.etab_a).order_by("pk").first()
    assert lignes[1].startswith(f"{prefixe}-{premier.pk};")


def test_permission_et_format_de_l_export(monde, client_de):
    client = client_de(monde.users["declarant"])
    assert client.get(reverse("certification:exporter", args=["audits"])).status_code == 403
    client = client_de(monde.users["direction"])
    assert client.get(reverse("certification:exporter", args=["audits"]), {"format": "pdf"}).status_code == 404
    assert client.get(reverse("certification:exporter", args=["inconnu"])).status_code == 404


def test_permission_d_importer(monde):
    for code in MODELES:
        registre = importation.REGISTRES[code]
        assert registre.peut_importer(monde.users["gestionnaire_risques"])
        assert registre.peut_importer(monde.users["administrateur"])
        assert not registre.peut_importer(monde.users["direction"])  # consults only
        assert not registre.peut_importer(monde.users["relations_usagers"])  # import.registres, no certification.gerer


class TestMisesAJourEtCreations:
    def test_audit(self, monde, qualiticien):
        a = Audit.objects.create(titre="Audit", date=date(2026, 2, 3), etablissement=monde.etab_a)
        contenu = (f"Référence;Titre;Date;Établissement;Service;Constats\n"
                   f"AUD-{a.pk};Audit;03/02/2026;CH A;Cardiologie A;Écarts relevés\n"
                   ";Nouvel audit;2026-05-02;CH A;;\n").encode()
        bilan = _importer("audits", contenu, qualiticien, "maj.csv")
        assert (bilan.crees, bilan.modifies, bilan.erreurs) == (1, 1, [])
        a.refresh_from_db()
        assert a.service == monde.service_a and a.constats == "Écarts relevés"
        assert Audit.objects.get(titre="Nouvel audit").created_by == qualiticien
        assert AuditEntry.objects.filter(action="modification", object_id=str(a.pk), details={"import": "maj.csv"}).exists()

    def test_epp_avec_la_regle_de_date(self, monde, qualiticien):
        contenu = ("Référence;Thème;Pilotes;État;Établissement;Pôle;Début;Fin\n"
                   ";Transfusions;Dr A;En cours;CH A;Pôle médecine A;01/02/2026;01/03/2026\n"
                   ";Douleur;Dr B;terminee;CH A;;01/02/2026;01/01/2026\n").encode()
        bilan = _importer("epp", contenu, qualiticien)
        assert [str(e) for e in bilan.erreurs] == ["ligne 3, colonne « Fin » : La fin ne peut précéder le début "
                                                   "(01/02/2026)."]
        assert EPP.objects.count() == 0
        bilan = _importer("epp", contenu.replace(b"01/01/2026", b"01/04/2026"), qualiticien)
        assert bilan.crees == 2
        assert EPP.objects.get(theme="Transfusions").pole == monde.pole_a

    def test_l_evaluation_garde_ses_criteres(self, monde, qualiticien):
        from certification.tests.factories import CritereFactory

        ev = Evaluation.objects.create(methode="observation", date=date(2026, 3, 11), etablissement=monde.etab_a,
                                       evaluateurs="Qualiticien")
        ev.criteres.add(CritereFactory())
        contenu = (f"Référence;Méthode;Date;Établissement;Service;Évaluateurs;Constats\n"
                   f"EVA-{ev.pk};Traceur ciblé;11/03/2026;CH A;Orthopédie A;Qualiticien;Écart\n").encode()
        assert _importer("evaluations", contenu, qualiticien).modifies == 1
        ev.refresh_from_db()
        assert (ev.methode, ev.service, ev.constats, ev.criteres.count()) == ("traceur_cible", monde.service_a2, "Écart", 1)


class TestLignesErronees:
    def test_colonnes_manquantes(self, monde, qualiticien):
        assert _erreurs("audits", "Référence;Titre;Établissement\n;A;CH A\n".encode(), qualiticien) == [(1, "Date")]
        assert _erreurs("epp", "Thème;Pilotes;Établissement\nT;P;CH A\n".encode(), qualiticien) == [(1, "Référence")]
        assert _erreurs("evaluations", "Référence;Date;Établissement;Évaluateurs\n;01/01/2026;CH A;Q\n".encode(),
                        qualiticien) == [(1, "Méthode")]
        assert Audit.objects.count() + EPP.objects.count() + Evaluation.objects.count() == 0

    def test_audits(self, monde, qualiticien):
        a = Audit.objects.create(titre="Audit", date=date(2026, 2, 3), etablissement=monde.etab_a)
        hors = Audit.objects.create(titre="Audit B", date=date(2026, 2, 3), etablissement=monde.etab_b)
        avant = _etat(Audit)
        contenu = ("Référence;Titre;Date;Établissement;Service;Constats\n"
                   ";A;2026-13-01;CH A;;\n"  # bad date
                   ";A;01/02/2026;CH A;Radiologie;\n"  # unknown service
                   ";A;01/02/2026;CH A;Cardiologie B;\n"  # service of another établissement
                   ";A;01/02/2026;CH Z;;\n"  # unknown établissement
                   f"AUD-{a.pk};A;01/02/2026;CH A;;\n"
                   f"AUD-{a.pk};A;01/02/2026;CH A;;\n"  # duplicate reference
                   f"AUD-{hors.pk};A;01/02/2026;CH A;;\n"  # out of scope
                   "EVA-1;A;01/02/2026;CH A;;\n"  # another register's reference
                   ";;01/02/2026;CH A;;\n"  # missing value
                   ";Valide;01/02/2026;CH A;;\n").encode()
        assert sorted(_erreurs("audits", contenu, qualiticien)) == [
            (2, "Date"), (3, "Service"), (4, "Service"), (5, "Établissement"), (7, "Référence"), (8, "Référence"),
            (9, "Référence"), (10, "Titre"),
        ]
        assert _etat(Audit) == avant

    def test_epp(self, monde, qualiticien):
        contenu = ("Référence;Thème;Pilotes;État;Établissement;Pôle;Début;Fin\n"
                   ";T;P;Suspendue;CH A;;;\n"  # unknown value
                   ";T;P;En cours;CH A;Pôle médecine B;;\n"  # pôle of another établissement
                   ";T;P;En cours;CH A;;le 3 mars;\n"  # bad date
                   ";T;;En cours;CH A;;;\n"  # missing value
                   ";T;P;En cours;CH B;;;\n").encode()  # out of scope
        assert _erreurs("epp", contenu, qualiticien) == [
            (2, "État"), (3, "Pôle"), (4, "Début"), (5, "Pilotes"), (6, "Établissement"),
        ]
        assert EPP.objects.count() == 0

    def test_evaluations(self, monde, qualiticien):
        ev = Evaluation.objects.create(methode="observation", date=date(2026, 3, 11), etablissement=monde.etab_a,
                                       evaluateurs="Qualiticien")
        avant = _etat(Evaluation)
        contenu = ("Référence;Méthode;Date;Établissement;Service;Évaluateurs;Constats\n"
                   ";Visite;01/02/2026;CH A;;Q;\n"  # unknown value
                   ";Observation;30/02/2026;CH A;;Q;\n"  # bad date
                   ";Observation;01/02/2026;CH A;Pédiatrie;Q;\n"  # unknown service
                   f"EVA-{ev.pk};Observation;01/02/2026;CH A;;Q;\n"
                   f"EVA-{ev.pk};Observation;01/02/2026;CH A;;Q;\n"  # duplicate reference
                   "EVA-999999;Observation;01/02/2026;CH A;;Q;\n").encode()  # unknown reference
        erreurs = _importer("evaluations", contenu, qualiticien).erreurs
        assert [(e.ligne, e.colonne) for e in erreurs] == [
            (2, "Méthode"), (3, "Date"), (4, "Service"), (6, "Référence"), (7, "Référence"),
        ]
        assert str(erreurs[0]).startswith("ligne 2, colonne « Méthode » : valeur inconnue « Visite » (valeurs permises")
        assert "service inconnu" in str(erreurs[2])
        assert "référence en double dans le fichier (déjà ligne 5)" in str(erreurs[3])
        assert _etat(Evaluation) == avant

    @pytest.mark.parametrize("code", ["audits", "epp", "evaluations"])
    def test_mauvais_encodage(self, monde, qualiticien, code):
        contenu = (";".join(importation.REGISTRES[code].noms) + "\n").encode("cp1252") + b"\x81\x8d;;;\n"
        erreurs = _importer(code, contenu, qualiticien).erreurs
        assert [(e.ligne, e.colonne) for e in erreurs] == [(2, "")]
        assert "encodage illisible" in erreurs[0].message
        assert MODELES[code].objects.count() == 0


@pytest.mark.parametrize("code", ["audits", "epp", "evaluations"])
def test_fichier_d_exemple_et_page_conformes_au_registre(db, code):
    call_command("demo", stdout=io.StringIO())
    registre = importation.REGISTRES[code]
    docs = Path(settings.BASE_DIR) / "docs" / "import"
    page = (docs / registre.doc).read_text()
    for nom in registre.noms:
        assert f"| `{nom}` |" in page, nom
    assert f"[{registre.doc}]({registre.doc})" in (docs / "README.md").read_text()
    contenu = (docs / "exemples" / f"{code}.csv").read_bytes()
    assert contenu.decode().splitlines()[0].split(";") == registre.noms
    user = Utilisateur.objects.get(username="qualiticien")
    analyse = importation.analyser(registre, contenu, utilisateur=user, nom_fichier="exemple.csv")
    bilan = importation.ecrire(analyse, utilisateur=user, essai=True)
    assert bilan.erreurs == [] and bilan.crees == 2
