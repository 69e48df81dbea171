"""Attachments on records: each file follows its record's access rule, is checked by content before it is
kept, is downloaded only through the view (one audit entry each), and is archived, never deleted."""

import pytest
from django.db import DataError
from django.urls import reverse

from conftest import texte
from qualite.organisation.models import AuditEntry
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from qualite.pieces.models import PieceJointe
from qualite.pieces.tests.conftest import fichiers_stockes
from qualite.pieces.tests.outils import EXE, PDF, mesure_ssc, piece_de_test, reclamation, televersement

pytestmark = pytest.mark.django_db


def test_chaque_enregistrement_du_registre_designe_un_modele_existant():
    from qualite.pieces import registre

    assert {r.model._meta.label for r in registre.RATTACHABLES.values()} >= {
        "ssc.MesureSoinsSansConsentement", "ssc.ActeMesure", "ssc.MesureIsolement", "relations_usagers.Reclamation",
        "relations_usagers.DemandeDossier", "relations_usagers.SeanceCDU", "evenements.EvenementIndesirable",
        "evenements.AnalyseApprofondie", "paqss.ActionAmelioration", "certification.Evaluation",
        "certification.Autoevaluation", "certification.Audit", "certification.EPP"}


def test_chaque_enregistrement_nomme_une_permission_du_catalogue():
    from qualite.organisation.access import PERMISSIONS
    from qualite.pieces import registre

    assert all(r.permission in PERMISSIONS for r in registre.RATTACHABLES.values())


def _joindre(client, cle, objet, fichier):
    return client.post(reverse("pieces:ajouter", args=[cle, objet.pk]), {"fichier": fichier})


def _telecharger(client, piece):
    response = client.get(reverse("pieces:telecharger", args=[piece.pk]))
    contenu = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, contenu


class TestMesureSSC:
    def test_le_bureau_joint_un_certificat_que_le_psychiatre_de_l_unite_telecharge(self, monde, client_de, stockage_pieces):
        mesure = mesure_ssc(monde)
        r = _joindre(client_de(monde.users["bureau_admissions"]), "ssc-mesure", mesure,
                     televersement("Certificat 24h Durand.pdf"))
        assert r.status_code == 302 and r["Location"].startswith(reverse("usagers:ssc_mesure", args=[mesure.pk]))
        piece = PieceJointe.objects.de(mesure).get()
        assert (piece.nom, piece.taille, piece.type_mime) == ("Certificat 24h Durand.pdf", len(PDF), "application/pdf")
        assert piece.created_by == monde.users["bureau_admissions"]
        stockes = fichiers_stockes(stockage_pieces)
        assert len(stockes) == 1 and "Durand" not in str(stockes[0])  # the stored name tells nothing

        client = client_de(monde.users["psychiatre"])
        page = texte(client.get(reverse("usagers:ssc_mesure", args=[mesure.pk])))
        assert "Certificat 24h Durand.pdf" in page and reverse("pieces:telecharger", args=[piece.pk]) in page
        response, contenu = _telecharger(client, piece)
        assert response.status_code == 200 and contenu == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Disposition"] == 'attachment; filename="Certificat 24h Durand.pdf"'
        assert "no-store" in response["Cache-Control"]

    def test_chaque_telechargement_laisse_une_entree_d_audit(self, monde, client_de):
        mesure = mesure_ssc(monde)
        piece = piece_de_test(mesure, par=monde.users["bureau_admissions"])
        psychiatre = monde.users["psychiatre"]
        avant = AuditEntry.objects.filter(utilisateur=psychiatre, details__telechargement=True).count()
        client = client_de(psychiatre)
        _telecharger(client, piece)
        _telecharger(client, piece)
        entrees = AuditEntry.objects.filter(utilisateur=psychiatre, details__telechargement=True)
        assert entrees.count() == avant + 2
        entree = entrees.first()
        assert entree.action == AuditEntry.Action.LECTURE
        assert (entree.object_id, entree.etablissement_id) == (str(mesure.pk), monde.etab_a.pk)
        assert entree.details["piece_jointe"] == piece.pk and entree.details["fichier"] == piece.nom

    def test_hors_perimetre_404_sur_la_liste_le_depot_et_le_telechargement(self, monde, client_de):
        mesure = mesure_ssc(monde)
        piece = piece_de_test(mesure, par=monde.users["bureau_admissions"])
        psychiatre_autre_unite = UtilisateurFactory(username="psy_a2", roles=[Role.PSYCHIATRE], etablissements=[monde.etab_a],
                                                    pole=monde.pole_a2, service=monde.service_a2)
        bureau_b = UtilisateurFactory(username="bureau_b", roles=[Role.BUREAU_ADMISSIONS], etablissements=[monde.etab_b])
        for user in (psychiatre_autre_unite, bureau_b):
            client = client_de(user)
            assert client.get(reverse("pieces:liste", args=["ssc-mesure", mesure.pk])).status_code == 404
            assert _telecharger(client, piece)[0].status_code == 404
            assert _joindre(client, "ssc-mesure", mesure, televersement()).status_code == 404
        assert PieceJointe.objects.count() == 1
        assert not AuditEntry.objects.filter(details__telechargement=True).exists()

    def test_le_membre_cdu_ne_voit_rien_d_une_mesure(self, monde, client_de):
        mesure = mesure_ssc(monde)
        piece = piece_de_test(mesure, par=monde.users["bureau_admissions"])
        for role in (Role.MEMBRE_CDU, Role.REPRESENTANT_USAGERS):
            client = client_de(monde.users[role])
            assert client.get(reverse("pieces:liste", args=["ssc-mesure", mesure.pk])).status_code == 404
            assert _telecharger(client, piece)[0].status_code == 404

    def test_un_fichier_joint_a_un_acte_et_a_une_decision_d_isolement(self, monde, client_de):
        from usagers.ssc.models import ActeMesure, MesureIsolement

        mesure = mesure_ssc(monde)
        acte = ActeMesure.objects.create(mesure=mesure, type="certificat_24h", date_heure=mesure.t0,
                                         created_by=monde.users["bureau_admissions"])
        decision = MesureIsolement.objects.create(mesure=mesure, type="isolement", psychiatre="Dr X", debut=mesure.t0,
                                                  created_by=monde.users["psychiatre"])
        client = client_de(monde.users["psychiatre"])
        assert _joindre(client, "ssc-acte", acte, televersement("certificat-24h.pdf")).status_code == 302
        assert _joindre(client, "ssc-isolement", decision, televersement("decision.pdf")).status_code == 302
        assert "certificat-24h.pdf" in texte(client.get(reverse("pieces:liste", args=["ssc-acte", acte.pk])))
        page = texte(client.get(reverse("usagers:ssc_isolement_modifier", args=[mesure.pk, decision.pk])))
        assert "decision.pdf" in page
        assert client_de(monde.users["membre_cdu"]).get(
            reverse("pieces:liste", args=["ssc-acte", acte.pk])).status_code in (403, 404)


class TestReclamation:
    def test_les_relations_usagers_joignent_et_telechargent_le_courrier(self, monde, client_de):
        rec = reclamation(monde)
        client = client_de(monde.users["relations_usagers"])
        r = _joindre(client, "reclamation", rec, televersement("Lettre de M. Dupont.pdf"))
        assert r.status_code == 302
        piece = PieceJointe.objects.de(rec).get()
        assert "Lettre de M. Dupont.pdf" in texte(client.get(reverse("usagers:reclamation", args=[rec.pk])))
        response, contenu = _telecharger(client, piece)
        assert response.status_code == 200 and contenu == PDF

    @pytest.mark.parametrize("role", [Role.MEMBRE_CDU, Role.REPRESENTANT_USAGERS])
    def test_la_cdu_et_les_representants_ne_voient_aucun_fichier_d_une_reclamation(self, monde, client_de, role):
        rec = reclamation(monde)
        piece = piece_de_test(rec, par=monde.users["relations_usagers"], nom="Lettre Dupont.txt")
        client = client_de(monde.users[role])
        page = client.get(reverse("usagers:reclamation", args=[rec.pk]))
        assert page.status_code == 200  # the anonymised record is theirs to read...
        assert "Lettre Dupont" not in texte(page) and "Pièces jointes" not in texte(page)  # ...not its files
        assert client.get(reverse("pieces:liste", args=["reclamation", rec.pk])).status_code == 404
        assert _telecharger(client, piece)[0].status_code == 404

    def test_un_compte_relations_et_cdu_voit_les_fichiers_par_son_role_nominatif(self, monde, client_de):
        rec = reclamation(monde)
        piece = piece_de_test(rec, par=monde.users["relations_usagers"])
        double = UtilisateurFactory(username="rel_cdu", roles=[Role.RELATIONS_USAGERS, Role.MEMBRE_CDU],
                                    etablissements=[monde.etab_a])
        assert _telecharger(client_de(double), piece)[0].status_code == 200

    def test_autre_etablissement_404(self, monde, client_de):
        rec = reclamation(monde, etablissement=monde.etab_b, reference="REC-B")
        piece = piece_de_test(rec)
        client = client_de(monde.users["relations_usagers"])
        assert client.get(reverse("pieces:liste", args=["reclamation", rec.pk])).status_code == 404
        assert _telecharger(client, piece)[0].status_code == 404


class TestEvenement:
    def test_le_gestionnaire_joint_le_declarant_le_voit_dans_l_historique(self, monde, client_de):
        from evenements.tests.factories import EvenementFactory

        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"])
        r = _joindre(client_de(monde.users["gestionnaire_risques"]), "evenement", ev, televersement("photo-chute.pdf"))
        assert r.status_code == 302
        piece = PieceJointe.objects.de(ev).get()
        client = client_de(monde.users["declarant"])
        page = texte(client.get(reverse("evenements:detail", args=[ev.pk])))
        assert "Pièce jointe ajoutée : photo-chute.pdf" in page  # the timeline
        response, contenu = _telecharger(client, piece)
        assert response.status_code == 200 and contenu == PDF
        # The declarant sees the event, but adding or archiving its files is the risk managers' work.
        assert _joindre(client, "evenement", ev, televersement()).status_code == 403
        assert client.post(reverse("pieces:archiver", args=[piece.pk]), {"motif": "x"}).status_code == 403

    def test_l_analyse_porte_ses_fichiers_pour_les_gestionnaires_seulement(self, monde, client_de):
        from datetime import date

        from evenements.models import AnalyseApprofondie
        from evenements.tests.factories import EvenementFactory

        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"])
        analyse = AnalyseApprofondie.objects.create(evenement=ev, date=date(2026, 1, 5), participants="CREX",
                                                    created_by=monde.users["gestionnaire_risques"])
        gestionnaire = client_de(monde.users["gestionnaire_risques"])
        assert _joindre(gestionnaire, "analyse", analyse, televersement("alarm.pdf")).status_code == 302
        page = texte(gestionnaire.get(reverse("evenements:analyse_modifier", args=[ev.pk, analyse.pk])))
        assert "alarm.pdf" in page
        piece = PieceJointe.objects.de(analyse).get()
        assert _telecharger(client_de(monde.users["declarant"]), piece)[0].status_code == 403
        assert _telecharger(client_de(monde.user_b), piece)[0].status_code == 404

    def test_autre_etablissement_404(self, monde, client_de):
        from evenements.tests.factories import EvenementFactory

        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"])
        piece = piece_de_test(ev)
        client = client_de(monde.user_b)
        assert client.get(reverse("pieces:liste", args=["evenement", ev.pk])).status_code == 404
        assert _telecharger(client, piece)[0].status_code == 404
        assert _joindre(client, "evenement", ev, televersement()).status_code == 404


class TestAutresRegistres:
    def test_action_paqss_evaluation_audit_epp_seance_dossier(self, monde, client_de):
        from datetime import date, timedelta

        from django.utils import timezone

        from certification.models import EPP, Audit, Evaluation
        from qualite.paqss.models import ActionAmelioration
        from usagers.relations.models import DemandeDossier, SeanceCDU

        etab = monde.etab_a
        gestionnaire, relations = monde.users["gestionnaire_risques"], monde.users["relations_usagers"]
        cas = [
            (gestionnaire, "action", ActionAmelioration.objects.create(
                titre="Former les équipes", origine=ActionAmelioration.Origine.AXE, etablissement=etab),
             "qualite:action_detail"),
            (gestionnaire, "evaluation", Evaluation.objects.create(
                methode="audit_systeme", date=date(2026, 3, 1), etablissement=etab, evaluateurs="Dr X"),
             "certification:evaluation"),
            (gestionnaire, "audit", Audit.objects.create(titre="Audit dossier", date=date(2026, 3, 1), etablissement=etab),
             None),
            (gestionnaire, "epp", EPP.objects.create(theme="Chutes", pilotes="Dr X", etablissement=etab), None),
            (relations, "seance-cdu", SeanceCDU.objects.create(etablissement=etab, date=date(2026, 3, 2), statut="tenue",
                                                               created_by=relations), "usagers:seance"),
            (relations, "dossier-medical", DemandeDossier.objects.create(
                reference="DOS-PJ", etablissement=etab, patient_nom="Paul", patient_naissance=date(1950, 1, 1),
                demandeur_type="patient", demandeur_nom="Paul", informations_du=date(2025, 6, 1),
                recue_le=timezone.now() - timedelta(days=3), created_by=relations), "usagers:dossier"),
        ]
        for user, cle, objet, page in cas:
            client = client_de(user)
            assert _joindre(client, cle, objet, televersement(f"{cle}.pdf")).status_code == 302, cle
            contenu = texte(client.get(reverse(page, args=[objet.pk]) if page else
                                       reverse("pieces:liste", args=[cle, objet.pk])))
            assert f"{cle}.pdf" in contenu, cle
            assert _telecharger(client_de(monde.user_b), PieceJointe.objects.de(objet).get())[0].status_code in (403, 404)

    def test_la_cdu_voit_les_documents_de_ses_seances(self, monde, client_de):
        from datetime import date

        from usagers.relations.models import SeanceCDU

        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 3, 2), statut="tenue",
                                          created_by=monde.users["relations_usagers"])
        piece = piece_de_test(seance, nom="compte-rendu.txt")
        client = client_de(monde.users["membre_cdu"])
        assert "compte-rendu.txt" in texte(client.get(reverse("usagers:seance", args=[seance.pk])))
        assert _telecharger(client, piece)[0].status_code == 200
        assert _joindre(client, "seance-cdu", seance, televersement()).status_code == 403


class TestRefus:
    def test_trop_volumineux_refuse_sous_le_champ_et_rien_d_enregistre(self, monde, client_de, settings, stockage_pieces):
        settings.PIECES_TAILLE_MAX = 1024
        mesure = mesure_ssc(monde)
        r = _joindre(client_de(monde.users["bureau_admissions"]), "ssc-mesure", mesure,
                     televersement(contenu=PDF + b"%" * 2048))
        assert r.status_code == 200
        page = texte(r)
        assert "Fichier trop volumineux (3 Ko) : 1 Ko au plus." in page
        assert 'class="invalid-feedback"' in r.content.decode() and 'aria-invalid="true"' in r.content.decode()
        assert not PieceJointe.objects.exists() and not fichiers_stockes(stockage_pieces)

    def test_un_programme_renomme_en_pdf_est_refuse_d_apres_son_contenu(self, monde, client_de, stockage_pieces):
        rec = reclamation(monde)
        r = _joindre(client_de(monde.users["relations_usagers"]), "reclamation", rec,
                     televersement("courrier.pdf", EXE, "application/pdf"))
        assert r.status_code == 200
        assert "Type de fichier refusé : d'après son contenu, ce fichier est de type « programme Windows »" in texte(r)
        assert not PieceJointe.objects.exists() and not fichiers_stockes(stockage_pieces)

    def test_sans_fichier(self, monde, client_de):
        mesure = mesure_ssc(monde)
        r = client_de(monde.users["bureau_admissions"]).post(reverse("pieces:ajouter", args=["ssc-mesure", mesure.pk]))
        assert r.status_code == 200 and "Choisissez un fichier." in texte(r)

    def test_rien_a_moitie_enregistre_quand_l_ecriture_en_base_echoue(self, monde, stockage_pieces):
        """PostgreSQL refuses the row (a NUL byte in the name): the file already stored is removed."""
        mesure = mesure_ssc(monde)
        with pytest.raises(DataError):
            piece_de_test(mesure, nom="note\x00.txt")
        assert not PieceJointe.objects.exists()
        assert not fichiers_stockes(stockage_pieces)

    def test_le_nom_ne_garde_ni_chemin_ni_caractere_de_controle(self, monde, client_de):
        mesure = mesure_ssc(monde)
        _joindre(client_de(monde.users["bureau_admissions"]), "ssc-mesure", mesure,
                 televersement("..\\..\\etc\\cert\tificat\x07.pdf"))
        assert PieceJointe.objects.get().nom == "certificat.pdf"


class TestArchivage:
    def test_archiver_garde_la_ligne_et_le_fichier_et_la_cache(self, monde, client_de, stockage_pieces):
        rec = reclamation(monde)
        piece = piece_de_test(rec, par=monde.users["relations_usagers"], nom="doublon.txt")
        client = client_de(monde.users["relations_usagers"])
        r = client.post(reverse("pieces:archiver", args=[piece.pk]), {"motif": "Envoyé en double"})
        assert r.status_code == 302
        piece.refresh_from_db()
        assert piece.archivee and piece.motif_archivage == "Envoyé en double"
        assert piece.archivee_par == monde.users["relations_usagers"] and piece.archivee_le
        assert len(fichiers_stockes(stockage_pieces)) == 1
        assert piece.pgh_event_model.objects.filter(pgh_obj=piece).count() == 2  # history: created, archived
        lien = reverse("pieces:telecharger", args=[piece.pk])
        assert lien not in texte(client.get(reverse("usagers:reclamation", args=[rec.pk])))
        assert lien not in texte(client.get(reverse("pieces:liste", args=["reclamation", rec.pk])))
        assert lien in texte(client.get(reverse("pieces:liste", args=["reclamation", rec.pk]), {"archives": "1"}))
        assert _telecharger(client, piece)[0].status_code == 200  # still there for its managers
        # The direction reads the record, not its archived files.
        direction = client_de(monde.users["direction"])
        assert lien not in texte(direction.get(reverse("pieces:liste", args=["reclamation", rec.pk]), {"archives": "1"}))
        assert _telecharger(direction, piece)[0].status_code == 404
        assert AuditEntry.objects.filter(action=AuditEntry.Action.ARCHIVAGE, details__piece_jointe=piece.pk).exists()

    def test_sans_motif_rien_n_est_archive(self, monde, client_de):
        rec = reclamation(monde)
        piece = piece_de_test(rec)
        r = client_de(monde.users["relations_usagers"]).post(reverse("pieces:archiver", args=[piece.pk]), {"motif": ""})
        assert r.status_code == 200 and "Indiquez le motif de l'archivage." in texte(r)
        piece.refresh_from_db()
        assert not piece.archivee

    def test_l_archivage_apparait_dans_l_historique_de_l_evenement(self, monde, client_de):
        from evenements.tests.factories import EvenementFactory

        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"])
        piece = piece_de_test(ev, nom="photo.txt", par=monde.users["gestionnaire_risques"])
        client = client_de(monde.users["gestionnaire_risques"])
        client.post(reverse("pieces:archiver", args=[piece.pk]), {"motif": "Mauvais patient"})
        page = texte(client.get(reverse("evenements:detail", args=[ev.pk])))
        assert "Pièce jointe ajoutée : photo.txt" in page and "Pièce jointe archivée : photo.txt (Mauvais patient)" in page
