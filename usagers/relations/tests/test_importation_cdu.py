"""CDU sessions as a file: export from the CDU page → import unchanged, updates and creations,
bad rows refused with line and column and nothing written."""

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from qualite.organisation.models import AuditEntry
from qualite.outils import importation
from usagers.relations.models import SeanceCDU

ENTETE = "Référence;Établissement;Date;Statut;Ordre du jour;Documents examinés;Compte rendu\n"


def _analyser(contenu, user, nom="seances.csv"):
    return importation.analyser(importation.REGISTRES["seances_cdu"], contenu, utilisateur=user, nom_fichier=nom)


def _importer(contenu, user, nom="seances.csv"):
    return importation.ecrire(_analyser(contenu, user, nom), utilisateur=user)


def _export(client, fmt):
    response = client.get(reverse("usagers:cdu"), {"export": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if fmt == "csv" else response.content


def _etat():
    return [(model_to_dict(s, exclude=["presents"]), s.updated_at) for s in SeanceCDU.objects.order_by("pk")]


@pytest.fixture
def relations(monde):
    return monde.users["relations_usagers"]


def _seance(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "date": date(2026, 3, 12), "statut": SeanceCDU.Statut.TENUE,
               "ordre_du_jour": "1. Réclamations du trimestre ; 2. Questions diverses",
               "documents": "Bilan des réclamations\nRapport des médiateurs",
               "compte_rendu": "Séance tenue ; quorum atteint.\nDeux recommandations, « accueil » et « attente »."}
    donnees.update(kw)
    return SeanceCDU.objects.create(**donnees)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_un_export_se_reimporte_sans_changement(monde, client_de, relations, fmt):
    _seance(monde)
    _seance(monde, date=date(2026, 6, 4), statut=SeanceCDU.Statut.PLANIFIEE, documents="", compte_rendu="")
    _seance(monde, etablissement=monde.etab_b)  # out of scope: neither exported nor touched
    avant = _etat()
    contenu = _export(client_de(relations), fmt)
    assert AuditEntry.objects.filter(action="export", details__registre="séances de la CDU").exists()
    bilan = _importer(contenu, relations, f"export.{fmt}")
    assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 2)
    assert _etat() == avant


def test_l_export_a_exactement_les_colonnes_de_l_import(monde, client_de, relations):
    s = _seance(monde)
    lignes = _export(client_de(relations), "csv").decode("utf-8-sig").splitlines()
    assert lignes[0] == ENTETE.strip()
    assert lignes[1].startswith(f"CDU-{s.pk};CH A;12/03/2026;Tenue;")


def test_mise_a_jour_et_creation_sont_auditees(monde, relations):
    s = _seance(monde, statut=SeanceCDU.Statut.PLANIFIEE)
    contenu = (ENTETE + f"CDU-{s.pk};CH A;12/03/2026;Tenue;;;Compte rendu validé\n"
               ";CH A;2026-09-17;planifiee;Bilan annuel;;\n").encode()
    bilan = _importer(contenu, relations, "maj.csv")
    assert (bilan.crees, bilan.modifies, bilan.erreurs) == (1, 1, [])
    s.refresh_from_db()
    assert s.statut == "tenue" and s.compte_rendu == "Compte rendu validé" and s.ordre_du_jour == ""
    nouvelle = SeanceCDU.objects.exclude(pk=s.pk).get()
    assert nouvelle.date == date(2026, 9, 17) and nouvelle.created_by == relations
    assert AuditEntry.objects.filter(action="modification", object_id=str(s.pk), details={"import": "maj.csv"}).exists()
    assert AuditEntry.objects.filter(action="creation", object_id=str(nouvelle.pk)).exists()


def test_une_colonne_facultative_absente_est_laissee_intacte(monde, relations):
    s = _seance(monde)
    bilan = _importer(f"Référence;Établissement;Date\nCDU-{s.pk};CH A;13/03/2026\n".encode(), relations)
    assert bilan.modifies == 1, bilan.erreurs
    s.refresh_from_db()
    assert s.date == date(2026, 3, 13) and s.compte_rendu.startswith("Séance tenue")


def _erreurs(contenu, user):
    return [(e.ligne, e.colonne) for e in _importer(contenu, user).erreurs]


class TestLignesErronees:
    def test_colonne_manquante(self, monde, relations):
        contenu = "Référence;Établissement;Statut\n;CH A;Tenue\n".encode()
        assert _erreurs(contenu, relations) == [(1, "Date")]
        assert SeanceCDU.objects.count() == 0

    def test_chaque_cellule_erronee_est_signalee_et_rien_ecrit(self, monde, relations):
        s = _seance(monde)
        avant = _etat()
        contenu = (ENTETE
                   + ";CH A;31/02/2026;Tenue;;;\n"  # bad date
                   + ";CH A;01/02/2026;Reportée;;;\n"  # unknown value
                   + ";CH Z;01/02/2026;Tenue;;;\n"  # unknown établissement
                   + ";CH B;01/02/2026;Tenue;;;\n"  # out of scope
                   + ";CH A;;Tenue;;;\n"  # missing value
                   + f"CDU-{s.pk};CH A;01/02/2026;Tenue;;;\n"
                   + f"CDU-{s.pk};CH A;02/02/2026;Tenue;;;\n"  # duplicate reference
                   + "CDU-999999;CH A;02/02/2026;Tenue;;;\n"  # unknown reference
                   + "ACT-1;CH A;02/02/2026;Tenue;;;\n"  # another register's reference
                   + ";CH A;03/02/2026;Tenue;;;\n").encode()  # a valid row: not written either
        assert _erreurs(contenu, relations) == [
            (2, "Date"), (3, "Statut"), (4, "Établissement"), (5, "Établissement"), (6, "Date"),
            (8, "Référence"), (9, "Référence"), (10, "Référence"),
        ]
        assert _etat() == avant

    def test_messages_de_date_et_de_valeur(self, monde, relations):
        contenu = (ENTETE + ";CH A;31/02/2026;Reportée;;;\n").encode()
        assert [str(e) for e in _importer(contenu, relations).erreurs] == [
            "ligne 2, colonne « Date » : date invalide « 31/02/2026 » (attendu : jj/mm/aaaa ou aaaa-mm-jj).",
            "ligne 2, colonne « Statut » : valeur inconnue « Reportée » (valeurs permises : « Planifiée », "
            "« Tenue », « Annulée »).",
        ]

    def test_une_seance_d_un_autre_etablissement_est_hors_perimetre(self, monde, relations):
        autre = _seance(monde, etablissement=monde.etab_b)
        contenu = (ENTETE + f"CDU-{autre.pk};CH A;01/02/2026;Tenue;;;\n").encode()
        assert _erreurs(contenu, relations) == [(2, "Référence")]
        assert SeanceCDU.objects.get(pk=autre.pk).etablissement == monde.etab_b

    def test_mauvais_encodage(self, monde, relations):
        contenu = ENTETE.encode("cp1252") + b";CH A;01/02/2026;Tenue;\x81\x8d;;\n"
        erreurs = _importer(contenu, relations).erreurs
        assert [(e.ligne, e.colonne) for e in erreurs] == [(2, "")]
        assert "encodage illisible" in erreurs[0].message
        assert SeanceCDU.objects.count() == 0

    def test_windows_1252_est_lu(self, monde, relations):
        contenu = (ENTETE + ";CH A;01/02/2026;Annulée;Réclamations;;\n").encode("cp1252")
        assert _importer(contenu, relations).crees == 1
        assert SeanceCDU.objects.get().ordre_du_jour == "Réclamations"


def test_permission(monde):
    registre = importation.REGISTRES["seances_cdu"]
    assert registre.peut_importer(monde.users["relations_usagers"])
    assert registre.peut_importer(monde.users["administrateur"])
    assert not registre.peut_importer(monde.users["membre_cdu"])  # cdu.consulter only
    assert not registre.peut_importer(monde.users["gestionnaire_risques"])  # import.registres, not cdu.gerer


def test_fichier_d_exemple_et_page_conformes_au_registre(db):
    import io
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    from qualite.organisation.models import Utilisateur

    call_command("demo", stdout=io.StringIO())
    registre = importation.REGISTRES["seances_cdu"]
    docs = Path(settings.BASE_DIR) / "docs" / "import"
    page = (docs / registre.doc).read_text()
    for nom in registre.noms:
        assert f"| `{nom}` |" in page, nom
    assert f"[{registre.doc}]({registre.doc})" in (docs / "README.md").read_text()
    contenu = (docs / "exemples" / "seances_cdu.csv").read_bytes()
    assert contenu.decode().splitlines()[0].split(";") == registre.noms
    user = Utilisateur.objects.get(username="relations")
    analyse = importation.analyser(registre, contenu, utilisateur=user, nom_fichier="exemple.csv")
    bilan = importation.ecrire(analyse, utilisateur=user, essai=True)
    assert bilan.erreurs == [] and bilan.crees == 2
