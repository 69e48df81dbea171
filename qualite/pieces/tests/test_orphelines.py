from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from qualite.pieces.models import PieceJointe
from qualite.pieces.stockage import STOCKAGE
from qualite.pieces.tests.conftest import fichiers_stockes
from qualite.pieces.tests.outils import mesure_ssc, piece_de_test


@pytest.mark.django_db
def test_un_fichier_sans_ligne_est_liste_puis_supprime_les_autres_restent(monde, stockage_pieces):
    mesure = mesure_ssc(monde)
    gardee = piece_de_test(mesure)
    orphelin = STOCKAGE.save("ssc/mesuresoinssansconsentement/2026/01/orphelin", ContentFile(b"x"))
    sortie = StringIO()
    call_command("pieces_orphelines", "--age-minimum", "0", stdout=sortie)
    assert f"orphelin : {orphelin}" in sortie.getvalue() and gardee.fichier.name not in sortie.getvalue()
    assert len(fichiers_stockes(stockage_pieces)) == 2  # listing deletes nothing
    call_command("pieces_orphelines", "--age-minimum", "0", "--supprimer", stdout=StringIO())
    assert not STOCKAGE.exists(orphelin) and STOCKAGE.exists(gardee.fichier.name)


@pytest.mark.django_db
def test_le_depot_annule_par_la_transaction_de_l_appelant_laisse_un_orphelin_que_la_commande_trouve(monde, stockage_pieces):
    mesure = mesure_ssc(monde)
    with pytest.raises(RuntimeError), transaction.atomic():
        piece_de_test(mesure)
        raise RuntimeError("l'appelant échoue après le dépôt")
    assert not PieceJointe.objects.exists()
    from qualite.pieces.management.commands.pieces_orphelines import pieces_orphelines

    assert len(pieces_orphelines(timedelta(0))) == 1 and len(fichiers_stockes(stockage_pieces)) == 1
    assert pieces_orphelines(timedelta(hours=1)) == []  # a recent file may be an upload in progress


@pytest.mark.django_db
def test_les_versions_des_documents_qualite_partagent_le_stockage_et_ne_sont_jamais_orphelines(monde, stockage_pieces):
    from qualite.documents.tests.outils import document_de_test

    version = document_de_test(monde).versions.get()
    assert STOCKAGE.exists(version.fichier.name)
    call_command("pieces_orphelines", "--age-minimum", "0", "--supprimer", stdout=StringIO())
    assert STOCKAGE.exists(version.fichier.name)
