"""Loading a référentiel from the page: upload → preview with every fault by line and column → confirm;
a new version leaves the older one and its evaluations as they were."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.models import Critere, Evaluation, Referentiel
from qualite.organisation.models import AuditEntry

pytestmark = pytest.mark.django_db
EXEMPLE = Path(settings.BASE_DIR) / "docs" / "import" / "exemples" / "referentiel.csv"
ENTETE = ("chapitre_numero;chapitre_titre;objectif_code;objectif_titre;critere_code;critere_titre;critere_type;"
          "champ_application;methodes_evaluation")


@pytest.fixture(autouse=True)
def dossier_temporaire(settings, tmp_path):
    settings.IMPORT_TEMP_DIR = tmp_path / "imports"


def deposer(client, contenu: bytes, version="2025", activer=True, nom="ref.csv"):
    return client.post(reverse("certification:referentiel_importer"), {
        "fichier": SimpleUploadedFile(nom, contenu, content_type="text/csv"), "version": version,
        "libelle": "Référentiel d'essai", "activer": "on" if activer else ""})


def test_le_fichier_d_exemple_se_charge_depuis_la_page(monde, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    page = deposer(client, EXEMPLE.read_bytes())
    texte = page.content.decode()
    assert page.status_code == 200 and "Fichier valide" in texte and "Rien n'est encore chargé" in texte
    assert "impératif : 1" in texte and "EX-1.1-02" in texte
    assert not Referentiel.objects.exists()
    reponse = client.post(reverse("certification:referentiel_confirmer"))
    assert reponse.status_code == 302 and reponse["Location"] == reverse("certification:referentiel")
    ref = Referentiel.objects.get(version="2025")
    assert ref.actif and ref.criteres.count() == 3 and ref.created_by == monde.users["gestionnaire_risques"]
    critere = ref.criteres.get(code="EX-1.1-01")
    assert critere.type == Critere.Type.STANDARD and critere.champ_application == "Tout l'établissement"
    assert critere.methodes_evaluation == ["patient_traceur", "audit_systeme"]
    assert critere.objectif.code == "1.1" and critere.objectif.chapitre.numero == 1
    assert all(t.startswith("EXEMPLE") for t in ref.criteres.values_list("titre", flat=True))
    assert AuditEntry.objects.filter(utilisateur=monde.users["gestionnaire_risques"]).exists()
    page = client.get(reverse("certification:referentiel")).content.decode()
    assert "Patient traceur, Audit système" in page
    # The confirmation is used once: a replay finds nothing pending.
    assert client.post(reverse("certification:referentiel_confirmer")).status_code == 302
    assert Referentiel.objects.count() == 1


def test_l_apercu_liste_toutes_les_erreurs_par_ligne_et_colonne(monde, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    contenu = "\n".join([
        ENTETE,
        "1;Chap 1;1.1;Obj 1.1;EX-1;Critère fictif;standard;Tout;patient traceur",
        "1;Chap 1;1.1;Obj 1.1;EX-2;Fictif;essentiel;;",
        "un;Chap 1;1.1;Obj 1.1;EX-3;Fictif;standard;;",
        "1;Chap 1;1.1;Obj 1.1;EX-1;Doublon;avancé;;visite libre",
    ]).encode()
    page = deposer(client, contenu)
    texte = page.content.decode()
    assert "4 erreurs" in texte and "rien n'a été chargé" in texte
    erreurs = [(e.ligne, e.colonne) for e in page.context["analyse"].erreurs]
    assert erreurs == [(3, "critere_type"), (4, "chapitre_numero"), (5, "critere_code"), (5, "methodes_evaluation")]
    assert "type inconnu « essentiel »" in texte and "méthode inconnue « visite libre »" in texte
    assert client.post(reverse("certification:referentiel_confirmer")).status_code == 302
    assert not Referentiel.objects.exists()


def test_une_nouvelle_version_ne_casse_pas_les_evaluations_de_l_ancienne(monde, client_de):
    client = client_de(monde.users["administrateur"])
    deposer(client, EXEMPLE.read_bytes(), version="v1")
    client.post(reverse("certification:referentiel_confirmer"))
    ancien = Critere.objects.get(referentiel__version="v1", code="EX-1.1-01")
    ev = Evaluation.objects.create(methode="patient_traceur", date="2025-05-01", etablissement=monde.etab_a,
                                   evaluateurs="IDE")
    ev.criteres.add(ancien)
    deposer(client, EXEMPLE.read_bytes(), version="v2")
    client.post(reverse("certification:referentiel_confirmer"))
    assert list(Referentiel.objects.filter(actif=True).values_list("version", flat=True)) == ["v2"]
    assert list(ev.criteres.all()) == [ancien] and ancien.referentiel.version == "v1"
    assert Critere.objects.filter(code="EX-1.1-01").count() == 2
    assert client.get(reverse("certification:critere", args=[ancien.pk])).status_code == 200
    page = client.get(reverse("certification:referentiel"), {"version": ancien.referentiel_id}).content.decode()
    assert "version non active" in page


def test_une_version_deja_chargee_est_refusee_sous_le_champ(monde, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    deposer(client, EXEMPLE.read_bytes(), version="2025")
    client.post(reverse("certification:referentiel_confirmer"))
    page = deposer(client, EXEMPLE.read_bytes(), version="2025")
    assert "La version « 2025 » existe déjà" in page.content.decode()
    assert page.context["form"].errors["version"]


def test_un_fichier_non_utf8_ou_d_un_autre_format(monde, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    page = deposer(client, (ENTETE + "\n1;Chap;1.1;Obj;EX-1;Crit\xe8re;standard;;\n").encode("latin-1"))
    assert "encodage invalide" in page.content.decode()
    page = deposer(client, b"x", nom="ref.pdf")
    assert "Format attendu" in page.content.decode()


@pytest.mark.parametrize("role", ["direction", "cadre_pole", "declarant"])
def test_il_refuse_qui_ne_gere_pas_la_certification(monde, client_de, role):
    client = client_de(monde.users[role])
    assert client.get(reverse("certification:referentiel_importer")).status_code == 403
    assert deposer(client, EXEMPLE.read_bytes()).status_code == 403
    assert client.post(reverse("certification:referentiel_confirmer")).status_code == 403
    assert client.get(reverse("certification:referentiel_confirmer")).status_code == 405
