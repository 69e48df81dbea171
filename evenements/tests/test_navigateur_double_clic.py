"""A double click on « Envoyer la déclaration » in a real browser files one event."""

import pytest

from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_un_double_clic_sur_envoyer_ne_depose_qu_une_declaration(live_server, page):
    from evenements.models import EvenementIndesirable

    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url
    connecter(page, base, monde.users["declarant"].username)
    page.goto(f"{base}/evenements/declarer/")
    page.get_by_label("Type").select_option(label="Chute")
    page.get_by_label("Que s'est-il passé ?").fill("Chute lors d'un transfert, sans témoin.")
    page.get_by_label("Patient / résident").check()
    page.get_by_label("2 — Significatif").check()
    page.get_by_role("button", name="Envoyer la déclaration").dblclick()
    page.wait_for_url(f"{base}/evenements/mes-declarations/")
    assert EvenementIndesirable.objects.count() == 1
