"""Complaints and medical-record requests: export → import round trip, updates through the services
(deadlines recomputed), bad rows refused with nothing written."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from qualite.echeances.moteur import echeances_de
from qualite.organisation.models import AuditEntry
from qualite.outils import importation
from usagers.relations import services as services
from usagers.relations.models import DemandeDossier, Reclamation


def _importer(code, contenu, user, nom="fichier.csv"):
    analyse = importation.analyser(importation.REGISTRES[code], contenu, utilisateur=user, nom_fichier=nom)
    return importation.ecrire(analyse, utilisateur=user)


def _export(client, url, fmt):
    response = client.get(url, {"export": fmt})
    return b"".join(response.streaming_content) if fmt == "csv" else response.content


def _etat(modele):
    return [(model_to_dict(o), o.updated_at) for o in modele.objects.order_by("pk")]


@pytest.fixture
def relations(monde):
    return monde.users["relations_usagers"]


def _rec(monde, **kw):
    services_ = kw.pop("services", [monde.service_a, monde.service_a2])
    donnees = {"etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier",
               "categories": ["soins", "relation"], "auteur_nom": "Robert Lenoir", "lien_patient": "fils",
               "patient_nom": "Paulette Lenoir", "objet": "Attente de six heures ; aucune information.\nSuite.",
               "recue_le": date(2026, 1, 31)}
    donnees.update(kw)
    return services.reclamation_enregistrer(par=monde.users["relations_usagers"], donnees=donnees,
                                            services=services_)


def _dmd(monde, **kw):
    tz = timezone.get_current_timezone()
    donnees = {"etablissement": monde.etab_a, "patient_nom": "Jeanne Martin", "patient_naissance": date(1950, 5, 1),
               "demandeur_type": "patient", "demandeur_nom": "Jeanne Martin", "identite_verifiee": True,
               "qualite_verifiee": True, "recue_le": datetime(2026, 2, 2, 9, 30, 12, tzinfo=tz),
               "informations_du": date(2025, 12, 1), "mode": "copie_papier",
               "communiquee_le": datetime(2026, 2, 6, 10, 0, tzinfo=tz), "frais": Decimal("12.50")}
    donnees.update(kw)
    return services.demande_enregistrer(par=monde.users["relations_usagers"], donnees=donnees)


class TestReclamations:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_un_export_se_reimporte_sans_changement(self, monde, client_de, relations, fmt):
        _rec(monde, accuse_le=date(2026, 2, 2), mediation="medicale", mediateur_saisi_le=date(2026, 2, 5))
        _rec(monde, nature="eloge", categories=["relation"], services=[])
        avant = _etat(Reclamation)
        contenu = _export(client_de(relations), reverse("usagers:reclamations"), fmt)
        bilan = _importer("reclamations", contenu, relations, f"export.{fmt}")
        assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 2)
        assert _etat(Reclamation) == avant
        assert [list(r.services.order_by("pk")) for r in Reclamation.objects.order_by("pk")] == \
            [[monde.service_a, monde.service_a2], []]

    def test_la_mise_a_jour_recalcule_les_echeances_et_est_auditee(self, monde, client_de, relations):
        rec = _rec(monde)
        contenu = _export(client_de(relations), reverse("usagers:reclamations"), "csv").decode("utf-8-sig")
        contenu = contenu.replace(";31/01/2026;", ";31/01/2026;", 1).replace(";;;;;non;;;;", ";02/02/2026;;;;non;;;;", 1)
        bilan = _importer("reclamations", contenu.encode(), relations, "maj.csv")
        assert bilan.modifies == 1, bilan.erreurs
        rec.refresh_from_db()
        assert rec.accuse_le == date(2026, 2, 2)
        accuse = next(e for e in echeances_de(rec) if e.regle.code == "rec-accuse")
        assert accuse.satisfaite_le is not None
        assert AuditEntry.objects.filter(action="modification", object_id=str(rec.pk), details={"import": "maj.csv"}).exists()

    def test_la_creation_garde_la_reference_du_fichier_et_fixe_les_echeances(self, monde, relations):
        contenu = ("Référence;Établissement;Reçue le;Nature;Canal;Catégories;Services concernés;Auteur;"
                   "Lien avec le patient;Objet\n"
                   "REC-2025-00042;CH A;15/12/2025;Plainte;courriel;Accueil, relation, comportement | soins;"
                   "Cardiologie A;Mme Durand;patiente;Accueil\n").encode()
        bilan = _importer("reclamations", contenu, relations)
        assert bilan.crees == 1, bilan.erreurs
        rec = Reclamation.objects.get(reference="REC-2025-00042")
        assert rec.categories == ["relation", "soins"] and list(rec.services.all()) == [monde.service_a]
        assert {e.regle.code for e in echeances_de(rec)} >= {"rec-accuse", "rec-premiere-reponse"}

    def test_toutes_les_lignes_erronees_signalees_et_rien_ecrit(self, monde, relations):
        contenu = ("Référence;Établissement;Reçue le;Nature;Canal;Catégories;Services concernés;Auteur;"
                   "Lien avec le patient;Objet;Accusé de réception le\n"
                   ";CH A;32/01/2026;Plainte;pigeon;soins;Radiologie;A;fils;O;\n"
                   ";CH A;10/01/2026;Plainte;courrier;soins;;A;fils;O;01/01/2026\n").encode()
        analyse = importation.analyser(importation.REGISTRES["reclamations"], contenu, utilisateur=relations)
        erreurs = [str(e) for e in importation.ecrire(analyse, utilisateur=relations).erreurs]
        assert [e.split(" : ")[0] for e in erreurs] == [
            "ligne 2, colonne « Reçue le »", "ligne 2, colonne « Canal »", "ligne 2, colonne « Services concernés »",
        ]
        # the domain rule (acknowledgement before receipt) is checked only once the file itself is clean
        contenu = contenu.replace(b"32/01/2026;Plainte;pigeon;soins;Radiologie", b"10/01/2026;Plainte;courrier;soins;")
        analyse = importation.analyser(importation.REGISTRES["reclamations"], contenu, utilisateur=relations)
        erreurs = [str(e) for e in importation.ecrire(analyse, utilisateur=relations).erreurs]
        assert erreurs == ["ligne 3, colonne « Accusé de réception le » : L'accusé de réception ne peut précéder la "
                           "réception (10/01/2026)."]
        assert Reclamation.objects.count() == 0

    def test_l_export_cdu_reste_anonymise(self, monde, client_de):
        _rec(monde, resume_anonymise="Attente longue", resume_valide=True)
        contenu = _export(client_de(monde.users["membre_cdu"]), reverse("usagers:reclamations"), "csv").decode("utf-8-sig")
        assert "Lenoir" not in contenu and "Attente longue" in contenu


class TestDossiers:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_un_export_se_reimporte_sans_changement(self, monde, client_de, relations, fmt):
        _dmd(monde)
        _dmd(monde, patient_decede=True, demandeur_type="ayant_droit", demandeur_nom="Paul Martin", motif="memoire",
             communiquee_le=None, mode="", frais=Decimal("0"))
        avant = _etat(DemandeDossier)
        contenu = _export(client_de(relations), reverse("usagers:dossiers"), fmt)
        bilan = _importer("dossiers", contenu, relations)
        assert bilan.erreurs == [] and (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 2)
        assert _etat(DemandeDossier) == avant

    def test_creation_et_regle_metier(self, monde, relations):
        entete = ("Référence;Établissement;Patient;Date de naissance;Qualité du demandeur;Demandeur;Reçue le;"
                  "Informations les plus récentes du;Frais (€)\n")
        ok = ";CH A;Luc Petit;1980-02-03;Le patient;Luc Petit;03/02/2026 08:00;01/01/2026;3,50\n"
        ko = ";CH A;Luc Petit;1980-02-03;Ayant droit (patient décédé);Ana Petit;03/02/2026 08:00;01/01/2026;0\n"
        erreurs = _importer("dossiers", (entete + ok + ko).encode(), relations).erreurs
        assert [(e.ligne, e.colonne) for e in erreurs] == [(3, "Qualité du demandeur")]
        assert DemandeDossier.objects.count() == 0
        bilan = _importer("dossiers", (entete + ok).encode(), relations)
        d = DemandeDossier.objects.get()
        assert bilan.crees == 1 and d.frais == Decimal("3.50") and d.reference.startswith("DMD-2026-")
        assert [e.regle.code for e in echeances_de(d)] == ["dossier-communication-8j"]
