"""Un rapport « prêt » dont le PDF a disparu (restauration sans MEDIA_ROOT) : 404 en français, jamais 500."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import texte
from qualite.organisation.models import AuditEntry
from qualite.pilotage.models import RapportAnnuel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _rapport_pret(monde):
    r = RapportAnnuel(annee=2025, ght=monde.ght, etablissement=monde.etab_a, demande_par=monde.users["direction"],
                      statut=RapportAnnuel.Statut.PRET)
    r.fichier.save("rapport-2025.pdf", ContentFile(b"%PDF-1.4 complet"), save=False)
    r.fichier_anonyme.save("rapport-2025-anonyme.pdf", ContentFile(b"%PDF-1.4 anonyme"), save=False)
    r.save()
    return r


def test_telecharger_un_rapport_dont_le_fichier_a_disparu_repond_404_en_francais(monde, client_de, media):
    r = _rapport_pret(monde)
    client = client_de(monde.users["direction"])
    url = reverse("pilotage:rapport_telecharger", args=[r.pk])
    assert client.get(url).status_code == 200
    (media / r.fichier.name).unlink()
    response = client.get(url)
    assert response.status_code == 404
    assert "fichier absent, régénérez le rapport" in texte(response)
    # La version anonymisée, encore là, reste servie ; un export qui n'a pas eu lieu n'est pas tracé.
    assert client.get(url, {"version": "anonyme"}).status_code == 200
    assert AuditEntry.objects.filter(action="export", details__fichier=r.fichier.name).count() == 1


def test_version_cdu_absente_pour_le_lecteur_anonyme(monde, client_de, media):
    r = _rapport_pret(monde)
    (media / r.fichier_anonyme.name).unlink()
    response = client_de(monde.users["membre_cdu"]).get(reverse("pilotage:rapport_telecharger", args=[r.pk]))
    assert response.status_code == 404
    assert "fichier absent, régénérez le rapport" in texte(response)


def test_la_liste_dit_fichier_absent_au_lieu_d_un_lien_casse(monde, client_de, media):
    r = _rapport_pret(monde)
    (media / r.fichier.name).unlink()
    response = client_de(monde.users["direction"]).get(reverse("pilotage:rapports"))
    page = texte(response)
    assert response.status_code == 200
    assert "PDF complet : fichier absent, régénérez le rapport" in page
    assert f'{reverse("pilotage:rapport_telecharger", args=[r.pk])}?version=anonyme' in page
    assert f'href="{reverse("pilotage:rapport_telecharger", args=[r.pk])}"' not in page
