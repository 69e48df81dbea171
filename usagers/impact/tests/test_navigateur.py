"""Browser journey: a representative answers the impact questionnaire; a CDU member then reads the
indicators and the before/after chart."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from usagers.impact import services
from usagers.impact.models import Grille, ItemGrille, Temps, ValeurImpact
from usagers.impact.tests.outils import membre
from usagers.relations.models import SeanceCDU

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_representant_repond_puis_la_cdu_lit_la_comparaison(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url
    jour = timezone.localdate()
    ru_user = monde.users["representant_usagers"]
    autres = [UtilisateurFactory(username=f"ru_{n}", roles=[Role.REPRESENTANT_USAGERS], etablissements=[monde.etab_a])
              for n in (2, 3)]
    cohorte = [membre(monde.etab_a, "Alice Représentante", utilisateur=ru_user),
               membre(monde.etab_a, "Bruno RU", utilisateur=autres[0]), membre(monde.etab_a, "Chloé RU", utilisateur=autres[1])]
    seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(jour.year, 1, 10), statut="tenue")
    seance.presents.set(cohorte[:2])
    grille = Grille.objects.get(type="impact")
    items = list(ItemGrille.objects.filter(theme__grille=grille).order_by("theme__numero", "id"))
    c = services.campagne_impact_enregistrer(par=monde.users["relations_usagers"], cohorte=cohorte, donnees={
        "etablissement": monde.etab_a, "titre": "Cohorte régionale", "grille": grille,
        "avant_le": jour - timedelta(days=400), "apres_le": jour - timedelta(days=2)})
    for m in cohorte:
        services.reponses_impact_enregistrer(campagne=c, membre=m, temps=Temps.AVANT, par=None,
                                             valeurs={i.pk: 2 for i in items})
    for m in cohorte[1:]:
        services.reponses_impact_enregistrer(campagne=c, membre=m, temps=Temps.APRES, par=None,
                                             valeurs={i.pk: 4 for i in items})
    services.campagne_impact_clore(campagne=c, temps=Temps.AVANT, par=None)

    # The representative answers the "after" measure, forgetting one question first.
    connecter(page, base, ru_user.username)
    page.goto(f"{base}/usagers/impact/campagnes/")
    page.get_by_role("link", name="Cohorte régionale").click()
    page.locator("tr[data-temps=apres]").get_by_role("link", name="Répondre").click()
    for item in items[1:]:
        page.locator(f"fieldset[data-item=item_{item.pk}]").get_by_label("Tout à fait d'accord").check()
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    assert "Choisissez une réponse." in page.locator(f"fieldset[data-item=item_{items[0].pk}]").inner_text()
    assert page.locator("#resume-erreurs").is_visible()
    page.locator(f"fieldset[data-item=item_{items[0].pk}]").get_by_label("Plutôt d'accord").check()
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    page.wait_for_url(f"{base}/usagers/impact/campagnes/{c.pk}/")
    assert "Vos réponses sont enregistrées" in page.content()
    mes = ValeurImpact.objects.filter(reponses__membre=cohorte[0], reponses__temps="apres")
    assert mes.count() == len(items) and mes.get(item=items[0]).valeur == 4
    # The "before" measure is closed: read-only.
    page.locator("tr[data-temps=avant]").get_by_role("link", name="Voir mes réponses").click()
    assert page.locator("fieldset[disabled]").count() == 1
    assert page.get_by_role("button", name="Enregistrer mes réponses").count() == 0

    # The CDU member reads the indicators and the before/after chart.
    connecter(page, base, monde.users["membre_cdu"].username)
    page.goto(f"{base}/usagers/impact/?annee={jour.year}")
    ligne = page.locator("#indicateurs-ru tr", has_text="Alice Représentante")
    assert ligne.locator("td").first.inner_text() == "1"  # one CDU session attended this year
    assert "Séances de la CDU tenues dans l'année" in page.content()  # its definition, beside it
    page.goto(f"{base}/usagers/impact/campagnes/{c.pk}/")
    graphique = page.locator("#graphique-avant-apres svg")
    assert graphique.is_visible()
    assert graphique.locator("rect.barre").count() == 2 * len(items)
    premiere = page.locator("#comparaison tbody tr").first.inner_text()
    assert "2,00" in premiere and "4,00" in premiere
