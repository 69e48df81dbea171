"""Two submissions of one form, two users on one file: one record, one audit entry, the first author kept."""

import uuid

from django.urls import reverse

from conftest import texte
from qualite.organisation.models import AuditEntry
from qualite.pieces.models import PieceJointe
from qualite.pieces.tests.conftest import fichiers_stockes
from qualite.pieces.tests.outils import piece_de_test, reclamation, televersement


def test_un_double_clic_sur_joindre_ne_depose_qu_une_piece(monde, client_de, stockage_pieces):
    rec = reclamation(monde)
    client = client_de(monde.users["relations_usagers"])
    url = reverse("pieces:ajouter", args=["reclamation", rec.pk])
    cle = str(uuid.uuid4())
    premiere = client.post(url, {"fichier": televersement("courrier.pdf"), "cle_creation": cle})
    seconde = client.post(url, {"fichier": televersement("courrier.pdf"), "cle_creation": cle}, follow=True)
    assert premiere.status_code == 302
    assert PieceJointe.objects.filter(object_id=rec.pk).count() == 1
    assert len(fichiers_stockes(stockage_pieces)) == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATION, details__fichier="courrier.pdf").count() == 1
    assert "déjà enregistrée par ce formulaire" in texte(seconde)


def test_le_formulaire_de_depot_porte_une_cle_nouvelle_a_chaque_affichage(monde, client_de):
    rec = reclamation(monde)
    client = client_de(monde.users["relations_usagers"])
    url = reverse("pieces:liste", args=["reclamation", rec.pk])
    premiere, seconde = texte(client.get(url)), texte(client.get(url))
    assert 'name="cle_creation"' in premiere
    cle = premiere.split('name="cle_creation" value="')[1][:36]
    assert cle not in seconde


def test_le_second_archivage_ne_remplace_ni_l_auteur_ni_le_motif(monde, client_de):
    rec = reclamation(monde)
    piece = piece_de_test(rec, par=monde.users["relations_usagers"], nom="doublon.txt")
    url = reverse("pieces:archiver", args=[piece.pk])
    client_de(monde.users["relations_usagers"]).post(url, {"motif": "Envoyé en double"})
    second = client_de(monde.users["administrateur"]).post(url, {"motif": "Autre motif"}, follow=True)
    piece.refresh_from_db()
    assert piece.archivee_par == monde.users["relations_usagers"] and piece.motif_archivage == "Envoyé en double"
    assert "déjà archivée par" in texte(second) and "Envoyé en double" in texte(second)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ARCHIVAGE, details__piece_jointe=piece.pk).count() == 1


def test_la_page_montree_avec_une_erreur_est_une_lecture_tracee(monde, client_de):
    rec = reclamation(monde)
    client = client_de(monde.users["relations_usagers"])
    avant = AuditEntry.objects.filter(action=AuditEntry.Action.LECTURE).count()
    r = client.post(reverse("pieces:ajouter", args=["reclamation", rec.pk]), {})
    assert r.status_code == 200 and "Choisissez un fichier." in texte(r)
    piece = piece_de_test(rec)
    r = client.post(reverse("pieces:archiver", args=[piece.pk]), {"motif": ""})
    assert r.status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LECTURE).count() == avant + 2
