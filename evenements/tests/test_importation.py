"""Adverse events: export → import round trip, every kind of bad row, encodings and formats, the command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evenements.models import EvenementIndesirable, TransitionEvenement
from evenements.tests.factories import EvenementFactory
from qualite.organisation.models import AuditEntry, Compteur
from qualite.outils import importation

REGISTRE = "evenements"
ENTETE = "Référence;Survenu le;Établissement;Service;Type;Personnes concernées;Description;Gravité estimée"


def _analyser(contenu, user, nom="fichier.csv"):
    return importation.analyser(importation.REGISTRES[REGISTRE], contenu, utilisateur=user, nom_fichier=nom)


def _importer(contenu, user, nom="fichier.csv"):
    return importation.ecrire(_analyser(contenu, user, nom), utilisateur=user)


def _etat():
    return [(model_to_dict(e), e.updated_at) for e in EvenementIndesirable.objects.order_by("pk")]


def _csv(*lignes, entete=ENTETE):
    return ("\n".join([entete, *lignes]) + "\n").encode("utf-8")


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


class TestAllerRetour:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_un_export_se_reimporte_sans_changement(self, monde, client_de, gestionnaire, fmt):
        EvenementFactory(service=monde.service_a, gravite=3, vraisemblance=2, lieu="Chambre 12; lit 2",
                         description="Chute.\nDeuxième ligne « citée »", personnes=["patient", "professionnel"])
        EvenementFactory(service=monde.service_a2, confidentiel=True)
        avant, audit_avant = _etat(), AuditEntry.objects.exclude(action="export").count()
        response = client_de(gestionnaire).get(reverse("evenements:liste"), {"export": fmt})
        contenu = b"".join(response.streaming_content) if fmt == "csv" else response.content
        bilan = _importer(contenu, gestionnaire, f"export.{fmt}")
        assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 2)
        assert _etat() == avant
        assert AuditEntry.objects.exclude(action="export").count() == audit_avant

    def test_les_colonnes_d_export_sont_celles_de_l_import(self, monde, client_de, gestionnaire):
        EvenementFactory(service=monde.service_a)
        response = client_de(gestionnaire).get(reverse("evenements:liste"), {"export": "xlsx"})
        entete = [c.value for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=1))]
        assert entete == importation.REGISTRES[REGISTRE].noms

    def test_une_cellule_modifiee_met_a_jour_l_enregistrement_avec_audit(self, monde, gestionnaire):
        ev = EvenementFactory(service=monde.service_a, reference="EI-2026-00007")
        contenu = _csv(f"EI-2026-00007;{ev.survenu_le:%d/%m/%Y %H:%M};CH A;Orthopédie A;Soins;Patient;Nouveau texte;3")
        bilan = _importer(contenu, gestionnaire, "corrections.csv")
        assert (bilan.crees, bilan.modifies) == (0, 1)
        ev.refresh_from_db()
        assert ev.description == "Nouveau texte" and ev.service == monde.service_a2 and ev.pole == monde.pole_a2
        assert ev.gravite_estimee == 3
        entree = AuditEntry.objects.get(action="modification", object_id=str(ev.pk))
        assert entree.details == {"import": "corrections.csv"} and entree.utilisateur == gestionnaire


class TestCreation:
    def test_les_lignes_sans_reference_sont_declarees_par_le_service(self, monde, gestionnaire):
        bilan = _importer(_csv(";01/03/2026 14:30;CH A;Cardiologie A;Soins;Patient / résident|visiteur;Chute;2 — Significatif",
                               ";2026-03-02;ch a;cardiologie a;soins;patient;Erreur;1"), gestionnaire)
        assert bilan.crees == 2 and not bilan.erreurs
        ev = EvenementIndesirable.objects.get(description="Chute")
        assert ev.reference.startswith("EI-2026-") and ev.personnes == ["patient", "visiteur"]
        assert ev.created_by == gestionnaire and ev.etablissement == monde.etab_a
        assert TransitionEvenement.objects.filter(evenement=ev, vers="declare").exists()
        assert AuditEntry.objects.filter(action="creation", object_id=str(ev.pk), details__import="fichier.csv").exists()

    def test_une_reference_fournie_est_gardee_et_le_compteur_la_depasse(self, monde, gestionnaire):
        _importer(_csv("EI-2026-00500;01/03/2026 14:30;CH A;Cardiologie A;Soins;Patient;Chute;2"), gestionnaire)
        assert EvenementIndesirable.objects.filter(reference="EI-2026-00500").exists()
        assert Compteur.objects.get(prefixe="EI", annee=2026).valeur == 500

    def test_windows_1252_avec_virgules_est_accepte(self, monde, gestionnaire):
        contenu = ('Référence,Survenu le,Établissement,Service,Type,Personnes concernées,Description,Gravité estimée\n'
                   ',01/03/2026 10:00,CH A,Cardiologie A,Soins,Patient,"Chute, à l\'entrée",2\n').encode("cp1252")
        bilan = _importer(contenu, gestionnaire)
        assert bilan.crees == 1 and EvenementIndesirable.objects.get().description == "Chute, à l'entrée"

    def test_utf8_avec_bom_est_accepte(self, monde, gestionnaire):
        bilan = _importer(b"\xef\xbb\xbf" + _csv(";01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2"), gestionnaire)
        assert bilan.crees == 1

    def test_xlsx_avec_dates_natives_est_accepte(self, monde, gestionnaire):
        from datetime import datetime

        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(ENTETE.split(";"))
        ws.append([None, datetime(2026, 3, 1, 9, 15), "CH A", "Cardiologie A", "Soins", "Patient", "Chute", 2])
        buffer = io.BytesIO()
        wb.save(buffer)
        bilan = _importer(buffer.getvalue(), gestionnaire, "evenements.xlsx")
        assert bilan.crees == 1 and not bilan.erreurs
        assert f"{timezone.localtime(EvenementIndesirable.objects.get().survenu_le):%d/%m/%Y %H:%M}" == "01/03/2026 09:15"


def _messages(contenu, user):
    analyse = _analyser(contenu, user)
    return [str(e) for e in importation.ecrire(analyse, utilisateur=user).erreurs]


class TestErreurs:
    """Each bad row names its line and column, and nothing at all is written."""

    BONNE = ";01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2"

    def _refuse(self, contenu, user):
        messages = _messages(contenu, user)
        assert messages
        assert EvenementIndesirable.objects.count() == 0
        assert not AuditEntry.objects.filter(action="creation").exists()
        return messages

    def test_colonne_manquante(self, monde, gestionnaire):
        entete = ENTETE.replace(";Type", "")
        messages = self._refuse(_csv(";01/03/2026 10:00;CH A;Cardiologie A;Patient;Chute;2", entete=entete), gestionnaire)
        assert messages == ["ligne 1, colonne « Type » : colonne manquante."]

    def test_date_erronee(self, monde, gestionnaire):
        messages = self._refuse(_csv(self.BONNE, ";31/02/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2"), gestionnaire)
        assert messages == ["ligne 3, colonne « Survenu le » : date et heure invalides « 31/02/2026 10:00 » "
                            "(attendu : jj/mm/aaaa hh:mm)."]

    def test_service_inconnu_et_service_d_un_autre_etablissement(self, monde, gestionnaire):
        messages = self._refuse(_csv(self.BONNE, ";01/03/2026 10:00;CH A;Radiologie;Soins;Patient;Chute;2",
                                     ";01/03/2026 10:00;CH B;Cardiologie B;Soins;Patient;Chute;2"), gestionnaire)
        assert messages[0] == "ligne 3, colonne « Service » : service inconnu dans l'établissement « CH A » : « Radiologie »."
        assert messages[1].startswith("ligne 4, colonne « Établissement » : établissement inconnu ou hors de votre périmètre")

    def test_valeur_inconnue(self, monde, gestionnaire):
        messages = self._refuse(_csv(";01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;7"), gestionnaire)
        assert messages[0].startswith("ligne 2, colonne « Gravité estimée » : valeur inconnue « 7 »")

    def test_reference_en_double(self, monde, gestionnaire):
        ligne = "EI-2026-00001;01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2"
        messages = self._refuse(_csv(ligne, ligne), gestionnaire)
        assert messages == ["ligne 3, colonne « Référence » : référence en double dans le fichier (déjà ligne 2)."]

    def test_mauvais_encodage(self, monde, gestionnaire):
        contenu = _csv(self.BONNE) + b";01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute \x81\xff;2\n"
        messages = self._refuse(contenu, gestionnaire)
        assert messages[0].startswith("ligne 3 : encodage illisible")

    def test_valeur_obligatoire_absente_et_toutes_les_erreurs_listees(self, monde, gestionnaire):
        messages = self._refuse(_csv(";;CH A;Cardiologie A;Soins;Patient;;9"), gestionnaire)
        assert messages == [
            "ligne 2, colonne « Survenu le » : valeur obligatoire.",
            "ligne 2, colonne « Description » : valeur obligatoire.",
            messages[2],
        ] and "Gravité estimée" in messages[2]

    def test_une_regle_metier_refuse_une_ligne_et_annule_les_autres(self, monde, gestionnaire):
        messages = self._refuse(_csv(self.BONNE, ";01/03/2099 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2"), gestionnaire)
        assert messages == ["ligne 3, colonne « Survenu le » : La date de survenue ne peut pas être dans le futur."]

    def test_une_reference_d_un_autre_etablissement_est_refusee(self, monde, gestionnaire):
        EvenementFactory(service=monde.service_b, reference="EI-2026-00009")
        messages = _messages(_csv("EI-2026-00009;01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2"), gestionnaire)
        assert messages == ["ligne 2, colonne « Référence » : référence déjà utilisée par un enregistrement hors de votre "
                            "périmètre."]

    def test_nouvelle_reference_mal_formee(self, monde, gestionnaire):
        messages = self._refuse(_csv("EI-26-1;01/03/2026 10:00;CH A;Cardiologie A;Soins;Patient;Chute;2"), gestionnaire)
        assert messages[0].startswith("ligne 2, colonne « Référence » : référence inconnue « EI-26-1 »")

    def test_colonne_inconnue(self, monde, gestionnaire):
        messages = self._refuse(_csv(self.BONNE + ";x", entete=ENTETE + ";Couleur"), gestionnaire)
        assert messages == ["ligne 1, colonne « Couleur » : colonne inconnue (voir la documentation du registre)."]

    def test_xlsx_endommage(self, monde, gestionnaire):
        messages = self._refuse(b"PK\x03\x04 pas un classeur", gestionnaire)
        assert messages == ["ligne 1 : classeur Excel illisible (format .xlsx attendu)."]


class TestCommande:
    def test_l_essai_a_blanc_n_ecrit_rien(self, monde, gestionnaire, tmp_path):
        fichier = tmp_path / "ei.csv"
        fichier.write_bytes(_csv(TestErreurs.BONNE))
        sortie = io.StringIO()
        call_command("importer", REGISTRE, str(fichier), "--utilisateur", gestionnaire.username, "--dry-run", stdout=sortie)
        assert "1 création(s)" in sortie.getvalue() and "rien n'a été enregistré" in sortie.getvalue()
        assert EvenementIndesirable.objects.count() == 0 and not AuditEntry.objects.exists()
        call_command("importer", REGISTRE, str(fichier), "--utilisateur", gestionnaire.username, stdout=io.StringIO())
        assert EvenementIndesirable.objects.count() == 1

    def test_les_erreurs_sont_affichees_et_le_code_de_sortie_non_nul(self, monde, gestionnaire, tmp_path):
        fichier = tmp_path / "ei.csv"
        fichier.write_bytes(_csv(";01/13/2026;CH A;Inconnu;Soins;Patient;Chute;2"))
        erreurs = io.StringIO()
        with pytest.raises(CommandError, match="2 erreur"):
            call_command("importer", REGISTRE, str(fichier), "--utilisateur", gestionnaire.username, stderr=erreurs)
        assert "ligne 2, colonne « Survenu le » : " in erreurs.getvalue()
        assert "ligne 2, colonne « Service » : service inconnu" in erreurs.getvalue()

    def test_un_compte_sans_la_permission_est_refuse(self, monde, tmp_path):
        fichier = tmp_path / "ei.csv"
        fichier.write_bytes(_csv(TestErreurs.BONNE))
        with pytest.raises(CommandError, match="n'a pas le droit"):
            call_command("importer", REGISTRE, str(fichier), "--utilisateur", monde.users["relations_usagers"].username)
