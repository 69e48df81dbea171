"""Browser journey as the quality manager: import the example référentiel from the page, create a
process with its pilot pair, record a certification visit with one condition, and find each on the
readiness view, in the PAQSS and in the key figures of the right year."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from certification.models import ConditionVisite, PilotageProcessus
from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]
EXEMPLE = Path(django_settings.BASE_DIR) / "docs" / "import" / "exemples" / "referentiel.csv"


def test_la_certification_depuis_les_ecrans(live_server, page, tmp_path, settings):
    settings.IMPORT_TEMP_DIR = tmp_path / "imports"
    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url
    annee = timezone.localdate().year - 1
    connecter(page, base, monde.users["gestionnaire_risques"].username)

    # 1. The example référentiel, from the page: preview, then confirm.
    page.goto(f"{base}/certification/referentiel/")
    page.get_by_role("link", name="Importer un référentiel").click()
    page.get_by_label("Fichier du référentiel").set_input_files(str(EXEMPLE))
    page.get_by_label("Version").fill("exemple")
    page.get_by_label("En faire le référentiel actif").check()
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_text("Fichier valide").wait_for()
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_text("chargé : 3 critère(s) ; c'est désormais le référentiel actif").wait_for()

    # 2. A process with its pilot pair, in service since March of last year.
    page.goto(f"{base}/certification/registres/")
    page.get_by_role("link", name="Nouveau processus").click()
    page.get_by_label("Nom").fill("Prise en charge médicamenteuse")
    page.locator("#id_etablissement").select_option(value=str(monde.etab_a.pk))
    page.locator("#id_pilote_medical").select_option(value=str(monde.users["psychiatre"].pk))
    page.locator("#id_pilote_soignant").select_option(value=str(monde.users["cadre_pole"].pk))
    page.get_by_label("En service depuis le").fill(f"{annee}-03-01")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("« Prise en charge médicamenteuse » enregistré.").wait_for()
    assert PilotageProcessus.objects.get().du == datetime.date(annee, 3, 1)

    # 3. A visit certified under one condition, which becomes a PAQSS action.
    page.goto(f"{base}/certification/visites/")
    page.get_by_role("link", name="Enregistrer une visite").click()
    page.locator("#id_etablissement").select_option(value=str(monde.etab_a.pk))
    page.locator("#id_date_debut").fill(f"{annee}-05-04")
    page.locator("#id_date_fin").fill(f"{annee}-05-07")
    page.locator("#id_decision").select_option(label="Certifié sous conditions")
    page.locator("#id_decision_le").fill(f"{annee}-09-15")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text(f"Visite de certification du 04/05/{annee} enregistrée.").wait_for()
    page.locator("#id_condition-libelle").fill("Sécuriser la prise en charge médicamenteuse")
    page.locator("#id_condition-critere").select_option(label="EX-1.1-02 — EXEMPLE — critère fictif, à remplacer par le texte publié par la HAS")
    page.locator("#id_condition-echeance").fill(f"{annee + 2}-03-31")
    page.get_by_role("button", name="Ajouter la condition").click()
    page.get_by_text("Condition enregistrée").wait_for()
    action = ConditionVisite.objects.get().action
    assert action.get_origine_display() == "Constat de certification"

    # 4. The readiness view counts the condition's action on its impératif criterion.
    page.goto(f"{base}/certification/preparation/?etablissement={monde.etab_a.pk}")
    ligne = page.locator(f"#critere-{ConditionVisite.objects.get().critere_id}")
    assert "Impératif" in ligne.inner_text()
    assert ligne.locator("td").nth(5).inner_text() == "1"

    # 5. The key figures of last year count the process and its pair; the year before, neither.
    page.goto(f"{base}/pilotage/tableaux/direction/?annee={annee}&etablissement={monde.etab_a.pk}")
    assert page.locator("[data-chiffre='processus']").inner_text() == "1"
    assert page.locator("[data-chiffre='binomes']").inner_text() == "1"
    page.goto(f"{base}/pilotage/tableaux/direction/?annee={annee - 1}&etablissement={monde.etab_a.pk}")
    assert page.locator("[data-chiffre='binomes']").inner_text() == "0"
