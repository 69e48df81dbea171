"""Order of the dated steps of a complaint and of a medical-record request (ORDRE_DATES, ORDRE_DEMANDE): a step dated
before the one it depends on is refused on the screen (message under the field, nothing written) and in the import
(the whole file, with the line and column)."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qualite.echeances.moteur import echeances_de
from qualite.outils import importation
from usagers.relations import services
from usagers.relations.models import DemandeDossier, Reclamation, SeanceCDU

PARIS = timezone.get_current_timezone()


@pytest.fixture
def relations(monde):
    return monde.users["relations_usagers"]


def _rec(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
               "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "objet": "Attente.", "recue_le": date(2026, 1, 31)}
    donnees.update(kw)
    return services.reclamation_enregistrer(par=monde.users["relations_usagers"], donnees=donnees, services=[])


def _formulaire(monde, **kw):
    donnees = {"etablissement": monde.etab_a.pk, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
               "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "objet": "Attente.", "recue_le": "2026-03-10"}
    donnees.update(kw)
    return donnees


def _importer(code, contenu, user):
    analyse = importation.analyser(importation.REGISTRES[code], contenu.encode(), utilisateur=user, nom_fichier="f.csv")
    return importation.ecrire(analyse, utilisateur=user)


ENTETE_REC = ("Référence;Établissement;Reçue le;Nature;Canal;Catégories;Auteur;Lien avec le patient;Objet;"
              "Médiation;Médiateur saisi le;Rencontre refusée;Rencontre le;Rapport du médiateur le;Séance de la CDU;"
              "Réponse finale le\n")
BONNE_LIGNE = ";CH A;05/01/2026;Plainte;courrier;soins;A;fils;O;;;non;;;;\n"


class TestSeanceAvantReception:
    """The reported case: a CDU session dated before the complaint's receipt was accepted, and the final answer's
    deadline (session + 8 days) then shown « Satisfait » although the answer came months after the receipt."""

    def test_service(self, monde):
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2025, 10, 2))
        with pytest.raises(ValidationError) as exc:
            _rec(monde, seance_cdu=seance, reponse_finale_le=date(2026, 5, 20))
        assert exc.value.error_dict["seance_cdu"][0].messages == [
            "La séance de la CDU ne peut précéder la réception de la réclamation (31/01/2026)."]
        assert not Reclamation.objects.exists()

    def test_ecran_message_sous_le_champ_rien_ecrit(self, monde, client_de, relations):
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 1, 15))
        response = client_de(relations).post(reverse("usagers:reclamation_nouvelle"), _formulaire(
            monde, seance_cdu=seance.pk, reponse_finale_le="2026-05-20"))
        assert response.status_code == 200
        assert "ne peut précéder la réception" in " ".join(response.context["form"].errors["seance_cdu"])
        assert not Reclamation.objects.exists()

    def test_modification_refusee_l_echeance_ne_passe_pas_satisfaite(self, monde, client_de, relations):
        rec = _rec(monde, accuse_le=date(2026, 2, 2), mediation="medicale", mediateur_saisi_le=date(2026, 2, 3),
                   mediation_refusee=True)
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 1, 15))
        # The CDU's opinion is a step of the complaint's page (its button), no longer a field of the edit form.
        response = client_de(relations).post(reverse("usagers:reclamation_geste", args=[rec.pk, "avis_cdu"]), {
            "geste-avis_cdu-seance_cdu": seance.pk, "geste-avis_cdu-avis_cdu": "Clore."})
        assert response.status_code == 200
        geste = next(g for g in response.context["gestes"] if g["code"] == "avis_cdu")
        assert "ne peut précéder la réception" in " ".join(geste["form"].errors["seance_cdu"])
        rec.refresh_from_db()
        assert rec.seance_cdu_id is None and rec.reponse_finale_le is None
        assert "rec-reponse-finale" not in {e.regle.code for e in echeances_de(rec)}

    def test_import_ligne_et_colonne_fichier_refuse(self, monde, relations):
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 1, 15))
        mauvaise = f";CH A;31/01/2026;Plainte;courrier;soins;A;fils;O;;;non;;;CDU-{seance.pk};20/05/2026\n"
        bilan = _importer("reclamations", ENTETE_REC + BONNE_LIGNE + mauvaise, relations)
        assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(3, "Séance de la CDU")]
        assert "ne peut précéder la réception" in bilan.erreurs[0].message
        assert not Reclamation.objects.exists()

    def test_la_date_d_une_seance_deplacee_avant_la_reception_est_refusee(self, monde, client_de, relations):
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 2, 12))
        rec = _rec(monde, seance_cdu=seance)
        with pytest.raises(ValidationError) as exc:
            services.seance_enregistrer(par=relations, donnees={"date": date(2026, 1, 20)}, seance=seance)
        assert rec.reference in exc.value.error_dict["date"][0].messages[0]
        seance.refresh_from_db()
        assert seance.date == date(2026, 2, 12)
        # same rule through the sessions' import
        contenu = (f"Référence;Établissement;Date;Statut\nCDU-{seance.pk};CH A;20/01/2026;Planifiée\n")
        bilan = _importer("seances_cdu", contenu, relations)
        assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(2, "Date")]
        seance.refresh_from_db()
        assert seance.date == date(2026, 2, 12)


@pytest.mark.parametrize("champs, champ_erreur, message", [
    ({"premiere_reponse_le": date(2026, 1, 20)}, "premiere_reponse_le", "La première réponse ne peut précéder"),
    ({"mediation": "medicale", "mediateur_saisi_le": date(2026, 1, 20)}, "mediateur_saisi_le", "Le médiateur ne peut"),
    ({"mediation": "medicale", "mediateur_saisi_le": date(2026, 2, 10), "mediation_refusee": True,
      "rapport_le": date(2026, 2, 5)}, "rapport_le", "Le rapport du médiateur ne peut précéder sa saisine"),
    ({"mediation": "medicale", "mediateur_saisi_le": date(2026, 2, 2), "rencontre_le": date(2026, 2, 6),
      "rapport_le": date(2026, 2, 10), "seance_cdu": "2026-02-08"}, "seance_cdu",
     "La séance de la CDU ne peut précéder le rapport du médiateur"),
    ({"seance_cdu": "2026-03-05", "reponse_finale_le": date(2026, 3, 1)}, "reponse_finale_le",
     "La réponse finale ne peut précéder la séance de la CDU"),
    ({"reponse_finale_le": date(2026, 1, 30)}, "reponse_finale_le", "La réponse finale ne peut précéder la réception"),
])
def test_chaque_paire_de_la_reclamation_refusee(monde, champs, champ_erreur, message):
    if "seance_cdu" in champs:
        champs["seance_cdu"] = SeanceCDU.objects.create(etablissement=monde.etab_a,
                                                        date=date.fromisoformat(champs["seance_cdu"]))
    with pytest.raises(ValidationError) as exc:
        _rec(monde, **champs)
    assert exc.value.error_dict[champ_erreur][0].messages[0].startswith(message)
    assert not Reclamation.objects.exists()


@pytest.mark.parametrize("colonnes, colonne", [
    ({"Médiation": "medicale", "Médiateur saisi le": "10/02/2026", "Rencontre refusée": "oui",
      "Rapport du médiateur le": "05/02/2026"}, "Rapport du médiateur le"),
    ({"Médiation": "medicale", "Médiateur saisi le": "02/02/2026", "Rencontre le": "06/02/2026",
      "Rapport du médiateur le": "10/02/2026", "Séance de la CDU": "08/02/2026"}, "Séance de la CDU"),
    ({"Séance de la CDU": "05/03/2026", "Réponse finale le": "01/03/2026"}, "Réponse finale le"),
    ({"Médiation": "medicale", "Médiateur saisi le": "20/01/2026"}, "Médiateur saisi le"),
])
def test_chaque_paire_refusee_a_l_import(monde, relations, colonnes, colonne):
    noms = ENTETE_REC.strip().split(";")
    valeurs = dict(zip(noms, ";CH A;31/01/2026;Plainte;courrier;soins;A;fils;O;;;non;;;;".split(";"), strict=True))
    if "Séance de la CDU" in colonnes:
        jour = datetime.strptime(colonnes["Séance de la CDU"], "%d/%m/%Y").date()
        colonnes["Séance de la CDU"] = f"CDU-{SeanceCDU.objects.create(etablissement=monde.etab_a, date=jour).pk}"
    valeurs.update(colonnes)
    bilan = _importer("reclamations", ENTETE_REC + BONNE_LIGNE + ";".join(valeurs.values()) + "\n", relations)
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(3, colonne)]
    assert not Reclamation.objects.exists()


def test_la_seance_s_exporte_et_se_reimporte(monde, client_de, relations):
    seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 2, 12))
    _rec(monde, seance_cdu=seance, reponse_finale_le=date(2026, 2, 16))
    response = client_de(relations).get(reverse("usagers:reclamations"), {"export": "csv"})
    contenu = b"".join(response.streaming_content)
    assert f";CDU-{seance.pk};".encode() in contenu
    bilan = importation.ecrire(importation.analyser(importation.REGISTRES["reclamations"], contenu, utilisateur=relations,
                                                    nom_fichier="e.csv"), utilisateur=relations)
    assert bilan.erreurs == [] and bilan.inchanges == 1


# ---- medical-record requests ----------------------------------------------------------------------------------------

def _demande(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "patient_nom": "Jeanne Martin", "patient_naissance": date(1950, 5, 1),
               "demandeur_type": "patient", "demandeur_nom": "Jeanne Martin", "identite_verifiee": True,
               "qualite_verifiee": True, "recue_le": datetime(2026, 2, 2, 9, 30, tzinfo=PARIS),
               "informations_du": date(2025, 12, 1)}
    donnees.update(kw)
    return services.demande_enregistrer(par=monde.users["relations_usagers"], donnees=donnees)


@pytest.mark.parametrize("champs, champ_erreur, message", [
    ({"refusee": True, "motif_refus": "Qualité non établie", "communiquee_le": datetime(2026, 1, 20, 9, tzinfo=PARIS)},
     "communiquee_le", "La communication ne peut précéder la réception"),
    ({"point_depart": "completude", "complete_le": datetime(2026, 2, 10, 9, tzinfo=PARIS), "mode": "copie_papier",
      "communiquee_le": datetime(2026, 2, 6, 9, tzinfo=PARIS)}, "communiquee_le", "Le délai part de la complétude"),
    ({"complete_le": datetime(2026, 2, 1, 9, tzinfo=PARIS)}, "complete_le", "La demande ne peut être complète"),
])
def test_chaque_paire_de_la_demande_refusee(monde, champs, champ_erreur, message):
    with pytest.raises(ValidationError) as exc:
        _demande(monde, **champs)
    assert exc.value.error_dict[champ_erreur][0].messages[0].startswith(message)
    assert not DemandeDossier.objects.exists()


def test_demande_communiquee_avant_la_completude_ecran(monde, client_de, relations):
    response = client_de(relations).post(reverse("usagers:dossier_nouveau"), {
        "etablissement": monde.etab_a.pk, "patient_nom": "X", "patient_naissance": "1950-01-01", "demandeur_type": "patient",
        "demandeur_nom": "X", "identite_verifiee": "on", "qualite_verifiee": "on", "recue_le": "2026-02-02T09:30",
        "complete_le": "2026-02-10T09:00", "point_depart": "completude", "informations_du": "2025-12-01",
        "mode": "copie_papier", "communiquee_le": "2026-02-06T09:00", "frais": "0"})
    assert response.status_code == 200
    assert "complétude" in " ".join(response.context["form"].errors["communiquee_le"])
    assert not DemandeDossier.objects.exists()


def test_demande_communiquee_avant_la_completude_import(monde, relations):
    entete = ("Référence;Établissement;Patient;Date de naissance;Qualité du demandeur;Demandeur;Identité vérifiée;"
              "Qualité vérifiée;Reçue le;Complète le;Délai compté depuis;Informations les plus récentes du;"
              "Mode de communication;Communiquée le\n")
    bonne = ";CH A;X;01/01/1950;patient;X;oui;oui;02/02/2026 09:30;;;01/12/2025;;\n"
    mauvaise = (";CH A;Y;01/01/1950;patient;Y;oui;oui;02/02/2026 09:30;10/02/2026 09:00;completude;01/12/2025;"
                "copie_papier;06/02/2026 09:00\n")
    bilan = _importer("dossiers", entete + bonne + mauvaise, relations)
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(3, "Communiquée le")]
    assert not DemandeDossier.objects.exists()
