"""PAQSS actions as a file, and the staff import page (preview, confirm, refusals)."""

import io
from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from conftest import texte
from qualite.echeances.models import Echeance
from qualite.organisation.models import AuditEntry
from qualite.organisation.tests.factories import ActionFactory
from qualite.outils import importation
from qualite.paqss import services
from qualite.paqss.models import ActionAmelioration

ENTETE_ACTIONS = "Référence;Action;Origine;Établissement;Pôle;Service;Échéance;Statut\n"


def _importer(code, contenu, user, nom="fichier.csv"):
    analyse = importation.analyser(importation.REGISTRES[code], contenu, utilisateur=user, nom_fichier=nom)
    return importation.ecrire(analyse, utilisateur=user)


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


class TestActions:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_un_export_se_reimporte_sans_changement(self, monde, client_de, gestionnaire, fmt):
        ActionFactory(service=monde.service_a, titre="Former ; « vite »", responsable=gestionnaire, echeance=date(2030, 1, 1))
        services.action_creer(titre="Sans pôle", origine="axe", source=None, etablissement_id=monde.etab_a.pk, par=None)
        avant = [(model_to_dict(a), a.updated_at) for a in ActionAmelioration.objects.order_by("pk")]
        response = client_de(gestionnaire).get(reverse("qualite:programme"), {"export": fmt})
        contenu = b"".join(response.streaming_content) if fmt == "csv" else response.content
        bilan = _importer("actions", contenu, gestionnaire)
        assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 2)
        assert [(model_to_dict(a), a.updated_at) for a in ActionAmelioration.objects.order_by("pk")] == avant

    def test_creation_et_mise_a_jour_par_numero_d_acte(self, monde, gestionnaire):
        a = ActionFactory(service=monde.service_a, titre="Ancienne", echeance=date(2030, 1, 1))
        contenu = (ENTETE_ACTIONS
                   + f"ACT-{a.pk};Nouveau titre;Évaluation;CH A;Pôle médecine A;Cardiologie A;31/12/2030;En cours\n"
                   + ";Créée;axe;CH A;;;15/06/2030;À planifier\n").encode()
        bilan = _importer("actions", contenu, gestionnaire)
        assert (bilan.crees, bilan.modifies) == (1, 1), bilan.erreurs
        a.refresh_from_db()
        assert a.titre == "Nouveau titre" and a.statut == "en_cours" and a.echeance == date(2030, 12, 31)
        creee = ActionAmelioration.objects.get(titre="Créée")
        assert creee.created_by == gestionnaire
        assert Echeance.objects.filter(object_id=creee.pk, regle__code="paqss-action-echeance").exists()

    def test_numero_d_acte_inconnu_et_pole_etranger_refuses(self, monde, gestionnaire):
        contenu = (ENTETE_ACTIONS + "ACT-999999;X;axe;CH A;;;;\n"
                   + ";Y;axe;CH A;Pôle médecine B;;;\n" + ";Z;axe;CH A;Pôle médecine A;Orthopédie A;;\n").encode()
        erreurs = [(e.ligne, e.colonne) for e in _importer("actions", contenu, gestionnaire).erreurs]
        assert erreurs == [(3, "Pôle"), (2, "Référence")]
        assert ActionAmelioration.objects.count() == 0
        contenu = (ENTETE_ACTIONS + ";Z;axe;CH A;Pôle médecine A;Orthopédie A;;\n").encode()
        erreurs = [(e.ligne, e.colonne, e.message) for e in _importer("actions", contenu, gestionnaire).erreurs]
        assert erreurs == [(2, "Service", "Ce service n'appartient pas au pôle choisi.")]
        assert ActionAmelioration.objects.count() == 0


def _fichier(contenu: bytes, nom="evenements.csv"):
    f = io.BytesIO(contenu)
    f.name = nom
    return f


BON_EI = ("Référence;Survenu le;Établissement;Service;Type;Personnes concernées;Description;Gravité estimée\n"
          ";01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2\n").encode()


class TestPageImportation:
    url = reverse("qualite:importer")

    def test_apercu_puis_confirmation(self, monde, client_de, gestionnaire, settings, tmp_path):
        from evenements.models import EvenementIndesirable

        settings.IMPORT_TEMP_DIR = tmp_path
        client = client_de(gestionnaire)
        assert client.get(self.url).status_code == 200
        response = client.post(self.url, {"registre": "evenements", "fichier": _fichier(BON_EI)})
        assert response.status_code == 200 and "1 création" in response.content.decode()
        assert EvenementIndesirable.objects.count() == 0 and len(list(tmp_path.iterdir())) == 1
        assert "fichier" not in str(client.session.get("import_en_attente", {}).keys() - {"jeton", "registre", "nom"})
        response = client.post(reverse("qualite:importer_confirmer"))
        assert response.status_code == 302
        assert EvenementIndesirable.objects.count() == 1 and list(tmp_path.iterdir()) == []
        entree = AuditEntry.objects.get(action="creation")
        assert entree.details == {"import": "evenements.csv"} and entree.ip == "127.0.0.1"
        # the same confirmation cannot be replayed
        client.post(reverse("qualite:importer_confirmer"))
        assert EvenementIndesirable.objects.count() == 1

    def test_l_apercu_liste_chaque_erreur_et_ne_garde_rien(self, monde, client_de, gestionnaire, settings, tmp_path):
        from evenements.models import EvenementIndesirable

        settings.IMPORT_TEMP_DIR = tmp_path
        client = client_de(gestionnaire)
        mauvais = BON_EI.replace(b"01/03/2026 10:00", b"hier").replace(b"Cardiologie A", b"Inconnu")
        response = client.post(self.url, {"registre": "evenements", "fichier": _fichier(mauvais)})
        body = texte(response)
        assert response.status_code == 200 and "2 erreurs" in body and "rien n'a été enregistré" in body
        assert "Survenu le" in body and "service inconnu" in body
        assert list(tmp_path.iterdir()) == [] and "import_en_attente" not in client.session
        assert client.post(reverse("qualite:importer_confirmer")).status_code == 302
        assert EvenementIndesirable.objects.count() == 0

    def test_abandonner_supprime_le_fichier_en_attente(self, monde, client_de, gestionnaire, settings, tmp_path):
        settings.IMPORT_TEMP_DIR = tmp_path
        client = client_de(gestionnaire)
        client.post(self.url, {"registre": "evenements", "fichier": _fichier(BON_EI)})
        client.post(reverse("qualite:importer_abandonner"))
        assert list(tmp_path.iterdir()) == [] and "import_en_attente" not in client.session

    def test_un_fichier_illisible_ne_donne_jamais_500(self, monde, client_de, gestionnaire, settings, tmp_path):
        settings.IMPORT_TEMP_DIR = tmp_path
        client = client_de(gestionnaire)
        for contenu, nom in ((b"\x00\xff\xfe" * 50, "x.csv"), (b"PK\x03\x04abc", "x.xlsx"), (b"", "vide.csv"),
                             (b'"non ferm\xc3\xa9;\n', "x.csv")):
            response = client.post(self.url, {"registre": "evenements", "fichier": _fichier(contenu, nom)})
            assert response.status_code == 200

    @pytest.mark.parametrize("role", ["declarant", "cadre_pole", "membre_cdu", "direction"])
    def test_refuse_les_roles_sans_la_permission(self, monde, client_de, role):
        client = client_de(monde.users[role])
        assert client.get(self.url).status_code == 403
        assert client.post(self.url, {"registre": "evenements", "fichier": _fichier(BON_EI)}).status_code == 403
        assert client.post(reverse("qualite:importer_confirmer")).status_code == 403

    def test_un_registre_hors_du_role_n_est_pas_propose(self, monde, client_de, settings, tmp_path):
        settings.IMPORT_TEMP_DIR = tmp_path
        client = client_de(monde.users["relations_usagers"])
        response = client.get(self.url)
        assert [c[0] for c in response.context["form"].fields["registre"].choices] == ["reclamations", "dossiers", "seances_cdu"]
        response = client.post(self.url, {"registre": "evenements", "fichier": _fichier(BON_EI)})
        assert response.status_code == 200 and "registre" in response.context["form"].errors

    def test_mauvaise_methode(self, monde, client_de, gestionnaire):
        assert client_de(gestionnaire).get(reverse("qualite:importer_confirmer")).status_code == 405


class TestDocumentation:
    """Each register has its page and an example file with every column, which imports on the demo data."""

    @pytest.fixture
    def demo(self, db):
        from django.core.management import call_command

        call_command("demo", stdout=io.StringIO())

    @pytest.mark.parametrize("code, login", [("evenements", "qualiticien"), ("reclamations", "relations"),
                                             ("dossiers", "relations"), ("actions", "qualiticien")])
    def test_fichier_d_exemple_et_page_conformes_au_registre(self, demo, code, login):
        from pathlib import Path

        from django.conf import settings

        from qualite.organisation.models import Utilisateur

        registre = importation.REGISTRES[code]
        docs = Path(settings.BASE_DIR) / "docs" / "import"
        page = (docs / registre.doc).read_text()
        for nom in registre.noms:
            assert f"| `{nom}` |" in page, nom
        assert f"[{registre.doc}]({registre.doc})" in (docs / "README.md").read_text()
        contenu = (docs / "exemples" / f"{code}.csv").read_bytes()
        assert contenu.decode().splitlines()[0].split(";") == registre.noms
        user = Utilisateur.objects.get(username=login)
        analyse = importation.analyser(registre, contenu, utilisateur=user, nom_fichier="exemple.csv")
        bilan = importation.ecrire(analyse, utilisateur=user, essai=True)
        assert bilan.erreurs == [] and bilan.crees == 2
