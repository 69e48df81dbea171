"""Guided steps of an involuntary-care measure (issue 16): the step bar, only the next legal moves as
buttons with their deadline, every move recorded with who and when, the timeline showing them all."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from qualite.organisation import access
from qualite.organisation.roles import Role
from usagers.ssc.models import ActeMesure, EtapeMesure, TransitionMesure

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
E = EtapeMesure


def _fmt(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _page(client, m, geste=""):
    url = reverse("usagers:ssc_mesure", args=[m.pk]) + (f"?geste={geste}" if geste else "")
    response = client.get(url)
    assert response.status_code == 200
    return texte(response)


def _boutons(page) -> list[str]:
    return re.findall(r'<a [^>]*data-geste="([a-z0-9_]+)"', page)


def _courante(page) -> str:
    return re.search(r'data-etape="([a-z0-9_]+)" aria-current="step"', page).group(1)


def _cliquer(client, m, geste, quand, auteur, **champs):
    """Press the button of `geste` on the page, then send its form: fails if the page does not offer it."""
    page = _page(client, m)
    assert geste in _boutons(page), f"{geste} n'est pas proposé : {_boutons(page)}"
    formulaire = _page(client, m, geste)
    assert f'name="acte-type" value="{geste}"' in formulaire
    cle = re.search(r'name="acte-cle_creation" value="([^"]+)"', formulaire).group(1)
    donnees = {"acte-type": geste, "acte-cle_creation": cle, "acte-date_heure": _fmt(quand), "acte-auteur": auteur,
               **{f"acte-{k}": v for k, v in champs.items()}}
    return client.post(reverse("usagers:ssc_acte", args=[m.pk]), donnees), donnees


def test_une_mesure_sdt_va_de_l_admission_a_la_levee_par_les_seuls_boutons(monde, client_de, admettre):
    t0 = datetime.combine(timezone.localdate() - timedelta(days=20), datetime.min.time(), tzinfo=PARIS).replace(hour=14, minute=30)
    m = admettre("sdt", t0=t0)
    bureau = monde.users["bureau_admissions"]
    client = client_de(bureau)

    page = _page(client, m)
    assert _courante(page) == E.CERTIFICAT_24H
    # Overdue first (24 h, then 72 h since the 24 h one is overdue, then the saisine of day 8); no judge's decision
    # before the saisine, no monthly certificate before its last 3 days, no programme before the 72 h certificate.
    assert _boutons(page) == ["certificat_24h", "certificat_72h", "saisine_juge", "levee"]
    # The forms are not stacked: each opens from its button.
    assert 'id="f-acte"' not in page and 'id="f-iso"' not in page and 'id="f-juge"' not in page
    assert 'id="f-acte"' in _page(client, m, "certificat_24h")

    parcours = [
        ("certificat_24h", t0 + timedelta(hours=22), "Dr Martin", {"psychiatre_etablissement": "on", "conclusion": "maintien"},
         E.CERTIFICAT_72H),
        ("certificat_72h", t0 + timedelta(hours=70), "Dr Martin", {"psychiatre_etablissement": "on", "conclusion": "maintien",
                                                                     "forme": "hc"}, E.DECISION),
        ("decision_forme", t0 + timedelta(hours=75), "Directeur", {"forme": "hc"}, E.CONTROLE_JUGE),
        ("saisine_juge", t0 + timedelta(days=6), "Direction", {}, E.CONTROLE_JUGE),
        ("decision_juge", t0 + timedelta(days=10), "Magistrat du siège", {"conclusion": "maintien"}, E.SOINS),
        ("levee", timezone.now() - timedelta(hours=1), "Directeur", {}, E.LEVEE),
    ]
    for geste, quand, auteur, champs, etape in parcours:
        response, _ = _cliquer(client, m, geste, quand, auteur, **champs)
        assert response.status_code == 302, response.context["acte_form"].errors
        assert _courante(_page(client, m)) == etape, geste

    page = _page(client, m)
    assert _boutons(page) == []  # lifted: nothing more is owed
    assert page.count('class="etape etape-fait"') == 6
    m.refresh_from_db()
    assert m.levee_le is not None
    transitions = list(TransitionMesure.objects.filter(mesure=m))
    assert [t.geste for t in transitions] == ["admission", *(p[0] for p in parcours)]
    assert [t.vers for t in transitions] == [E.CERTIFICAT_24H, *(p[4] for p in parcours)]
    assert all(t.par == bureau for t in transitions)
    # Who and when: an aware UTC instant, the moment the move was made (not the act's own date).
    assert all(t.le.utcoffset() == timedelta(0) and timezone.now() - t.le < timedelta(minutes=5) for t in transitions)


def test_le_bouton_montre_l_echeance_au_jour_de_paris(monde, admettre):
    # Admitted at 00:30 Paris on 11 January, still 10 January in UTC: day 0 is the Paris day, so the saisine is
    # due at the end of 19 January, Paris time; the 24 h certificate 24 elapsed hours later.
    t0 = datetime(2026, 1, 11, 0, 30, tzinfo=PARIS)
    m = admettre("sdt", t0=t0)
    gestes = {g.code: g for g in m.prochains_gestes(maintenant=t0 + timedelta(hours=1))}
    assert list(gestes) == ["certificat_24h", "saisine_juge", "levee"]
    assert gestes["certificat_24h"].echeance == datetime(2026, 1, 10, 23, 30, tzinfo=ZoneInfo("UTC")) + timedelta(days=1)
    assert timezone.localtime(gestes["saisine_juge"].echeance).date() == datetime(2026, 1, 19).date()
    assert timezone.localtime(gestes["saisine_juge"].echeance).strftime("%H:%M") == "23:59"
    assert gestes["levee"].echeance is None


def test_un_geste_qui_n_est_pas_une_prochaine_etape_est_refuse_en_francais(monde, client_de, admettre):
    m = admettre("sdt")
    client = client_de(monde.users["bureau_admissions"])
    for type_, champs in [("decision_juge", {"acte-conclusion": "maintien"}), ("transfert", {}),
                          ("programme_soins", {}), ("inconnu", {})]:
        response = client.post(reverse("usagers:ssc_acte", args=[m.pk]), {
            "acte-type": type_, "acte-date_heure": _fmt(m.t0 + timedelta(days=2)), "acte-auteur": "Direction", **champs})
        assert response.status_code == 200, type_
        page = texte(response)
        assert "Rien n'a été enregistré" in page
        if type_ != "inconnu":
            # The refusal says why, and names the moves that are open.
            assert "n'est pas une prochaine étape de cette mesure (prochaines étapes : certificat de 24 heures, " \
                   "certificat de 72 heures, saisine du juge, lever la mesure)" in page
    assert not ActeMesure.objects.filter(mesure=m).exists()
    assert list(TransitionMesure.objects.filter(mesure=m).values_list("geste", flat=True)) == ["admission"]


def test_un_double_clic_n_enregistre_l_acte_qu_une_fois(monde, client_de, admettre):
    m = admettre("sdt")
    client = client_de(monde.users["bureau_admissions"])
    premier, donnees = _cliquer(client, m, "saisine_juge", m.t0 + timedelta(days=5), "Direction")
    second = client.post(reverse("usagers:ssc_acte", args=[m.pk]), donnees)
    assert premier.status_code == second.status_code == 302
    assert ActeMesure.objects.filter(mesure=m).count() == 1
    assert TransitionMesure.objects.filter(mesure=m, geste="saisine_juge").count() == 1
    # The same form sent again without its key (another tab): the move is no longer open, nothing is added.
    sans_cle = {k: v for k, v in donnees.items() if k != "acte-cle_creation"}
    assert client.post(reverse("usagers:ssc_acte", args=[m.pk]), sans_cle).status_code == 200
    assert ActeMesure.objects.filter(mesure=m).count() == 1


def test_la_chronologie_montre_chaque_mouvement_avec_qui_et_quand(monde, client_de, admettre):
    from usagers.ssc import services

    m = admettre("sdt")
    bureau, psy = monde.users["bureau_admissions"], monde.users["psychiatre"]
    _cliquer(client_de(psy), m, "certificat_24h", m.t0 + timedelta(hours=20), "Dr Martin",
             psychiatre_etablissement="on", conclusion="maintien")
    acte = ActeMesure.objects.get(mesure=m)
    services.acte_annuler(acte=acte, par=bureau, motif="Saisi sur la mauvaise mesure")
    # An act written before moves were recorded (no transition) still shows, with its author and time.
    ancien = ActeMesure.objects.create(mesure=m, type="saisine_juge", date_heure=m.t0 + timedelta(days=3),
                                       auteur="Direction", created_by=bureau)
    page = _page(client_de(bureau), m)
    chrono = page[page.index('aria-label="Chronologie de la mesure"'):]
    lignes = re.findall(r'<li class="mb-1" data-chrono="([a-z0-9_]+)">(.*?)</li>', chrono, re.S)
    assert [g for g, _ in lignes] == ["admission", "certificat_24h", "annulation", "saisine_juge"]
    admission, certificat, annulation, saisine = (texte_ for _, texte_ in lignes)
    assert f"par {bureau}" in admission and "passe à « Certificat de 24 heures »" in admission
    assert f"par {psy}" in certificat and "Dr Martin" in certificat and "passe à « Certificat de 72 heures »" in certificat
    assert f"par {bureau}" in annulation and "Saisi sur la mauvaise mesure" in annulation
    assert "passe à « Certificat de 24 heures »" in annulation
    assert f"par {bureau}" in saisine and str(ancien) in saisine
    t = TransitionMesure.objects.get(geste="annulation")
    assert (t.de, t.vers, t.par, t.acte_id) == (E.CERTIFICAT_72H, E.CERTIFICAT_24H, bureau, acte.pk)


def test_le_psychiatre_n_a_que_ses_boutons_et_ne_peut_forcer_les_autres(monde, client_de, admettre):
    m = admettre("sdt")
    client = client_de(monde.users["psychiatre"])
    assert _boutons(_page(client, m)) == ["certificat_24h", "certificat_72h"]
    response = client.post(reverse("usagers:ssc_acte", args=[m.pk]), {
        "acte-type": "levee", "acte-date_heure": _fmt(m.t0 + timedelta(days=2)), "acte-auteur": "Dr Martin"})
    assert response.status_code == 200 and "Vous ne pouvez pas enregistrer ce type d'acte" in texte(response)
    assert not ActeMesure.objects.filter(mesure=m).exists()


def test_un_compte_sans_permission_d_ecrire_n_a_aucun_bouton_et_recoit_403(monde, client_de, admettre, monkeypatch):
    m = admettre("sdt")
    # The psychiatrist keeps ssc.voir but no act permission: he reads the measure, takes no step.
    monkeypatch.setitem(access.PERMISSIONS, "ssc.certificats", frozenset({Role.BUREAU_ADMISSIONS, Role.ADMINISTRATEUR}))
    monkeypatch.setitem(access.PERMISSIONS, "ssc.isolement", frozenset({Role.ADMINISTRATEUR}))
    client = client_de(monde.users["psychiatre"])
    page = _page(client, m)
    assert _boutons(page) == [] and "Prochaines étapes" not in page and 'id="f-acte"' not in page
    assert _page(client, m, "certificat_24h").count('name="acte-type"') == 0  # ?geste= opens nothing either
    assert 'data-etape="certificat_24h" aria-current="step"' in page  # the step bar is still shown
    response = client.post(reverse("usagers:ssc_acte", args=[m.pk]), {
        "acte-type": "certificat_24h", "acte-date_heure": _fmt(m.t0 + timedelta(hours=20)), "acte-auteur": "Dr Martin",
        "acte-psychiatre_etablissement": "on", "acte-conclusion": "maintien"})
    assert response.status_code == 403
    assert not ActeMesure.objects.filter(mesure=m).exists()


def test_un_certificat_de_24_h_concluant_a_la_fin_leve_la_mesure_et_la_barre_s_arrete_la(monde, client_de, admettre):
    m = admettre("sdt")
    client = client_de(monde.users["bureau_admissions"])
    response, _ = _cliquer(client, m, "certificat_24h", m.t0 + timedelta(hours=20), "Dr Martin",
                           psychiatre_etablissement="on", conclusion="fin")
    assert response.status_code == 302
    page = _page(client, m)
    assert re.findall(r'data-etape="([a-z0-9_]+)"', page) == [E.ADMISSION, E.CERTIFICAT_24H, E.LEVEE]
    assert _courante(page) == E.LEVEE and "levee" not in _boutons(page)


def test_le_programme_de_soins_est_une_etape_et_la_reintegration_la_suivante(monde, admettre):
    from usagers.ssc import services

    m = admettre("sdt")
    par = monde.users["bureau_admissions"]
    services.acte_ajouter(mesure=m, par=par, donnees={"type": "certificat_24h", "date_heure": m.t0 + timedelta(hours=20),
                                                      "auteur": "Dr A", "psychiatre_etablissement": True,
                                                      "conclusion": "maintien"})
    services.acte_ajouter(mesure=m, par=par, donnees={"type": "certificat_72h", "date_heure": m.t0 + timedelta(hours=70),
                                                      "auteur": "Dr A", "psychiatre_etablissement": True,
                                                      "conclusion": "maintien", "forme": "programme_soins"})
    assert m.statut_apres("decision_forme") == E.SOINS  # in a programme: no judge's control is owed
    codes = [g.code for g in m.prochains_gestes()]
    assert codes[0] == "decision_forme" and codes[-2:] == ["reintegration_hc", "levee"]
    assert "programme_soins" not in codes
    assert [e["libelle"] for e in m.etapes() if e["statut"] == E.SOINS] == ["Programme de soins"]


def test_la_fiche_garde_un_nombre_de_requetes_borne(monde, client_de, admettre, django_assert_max_num_queries):
    from usagers.ssc import services

    m = admettre("sdt")
    par = monde.users["bureau_admissions"]
    client = client_de(par)
    client.get(reverse("usagers:ssc_mesure", args=[m.pk]))  # warm caches (sessions, rule table)
    with django_assert_max_num_queries(16) as peu:
        client.get(reverse("usagers:ssc_mesure", args=[m.pk]))
    n = len(peu.captured_queries)  # read now: the next request empties the connection's query log
    for i in range(6):
        services.acte_ajouter(mesure=m, par=par, donnees={"type": "saisine_juge" if i == 0 else "avis_college",
                                                          "date_heure": m.t0 + timedelta(hours=30 + i), "auteur": "X"})
    client.get(reverse("usagers:ssc_mesure", args=[m.pk]))  # the menu's cached count, read again after the writes
    with django_assert_max_num_queries(n):
        client.get(reverse("usagers:ssc_mesure", args=[m.pk]))


def _certificats(m, par, c24, c72, forme="hc"):
    from usagers.ssc import services

    for type_, quand, extra in [("certificat_24h", c24, {}), ("certificat_72h", c72, {"forme": forme})]:
        services.acte_ajouter(mesure=m, par=par, donnees={"type": type_, "date_heure": quand, "auteur": "Dr A",
                                                          "psychiatre_etablissement": True, "conclusion": "maintien",
                                                          **extra})


def test_le_certificat_mensuel_n_est_propose_que_dans_les_trois_derniers_jours_de_la_periode(monde, admettre):
    # Admitted 31 January: the first period ends 28 February, its certificate is due from 26 February 00:00 (Paris).
    m = admettre("sdt", t0=datetime(2026, 1, 31, 10, 0, tzinfo=PARIS))
    _certificats(m, monde.users["bureau_admissions"], m.t0 + timedelta(hours=20), m.t0 + timedelta(hours=70))
    avant = [g.code for g in m.prochains_gestes(maintenant=datetime(2026, 2, 25, 23, 59, tzinfo=PARIS))]
    dans = {g.code: g for g in m.prochains_gestes(maintenant=datetime(2026, 2, 26, 0, 0, 30, tzinfo=PARIS))}
    assert "certificat_mensuel" not in avant and "certificat_mensuel" in dans
    assert timezone.localtime(dans["certificat_mensuel"].echeance).strftime("%d/%m/%Y %H:%M") == "28/02/2026 23:59"


def test_en_sdre_la_decision_du_prefet_sur_la_forme_vient_d_abord_avec_ses_trois_jours_francs(monde, admettre):
    m = admettre("sdre", t0=datetime(2026, 1, 25, 10, 0, tzinfo=PARIS))
    _certificats(m, monde.users["bureau_admissions"], datetime(2026, 1, 26, 9, 0, tzinfo=PARIS),
                 datetime(2026, 1, 28, 9, 0, tzinfo=PARIS))
    gestes = m.prochains_gestes(maintenant=datetime(2026, 1, 28, 10, 0, tzinfo=PARIS))
    assert [g.code for g in gestes] == ["decision_forme", "saisine_juge", "programme_soins", "levee"]
    # 72 h certificate received on 28 January: 29, 30, 31 January are the 3 jours francs, due by 1 February.
    assert timezone.localtime(gestes[0].echeance).strftime("%d/%m/%Y %H:%M") == "01/02/2026 23:59"
    assert m.etape_courante() == E.DECISION
    assert [e["libelle"] for e in m.etapes() if e["statut"] == E.DECISION] == ["Décision du préfet sur la forme"]


def test_l_etape_suit_les_actes_meme_avant_leur_enregistrement(monde, admettre):
    m = admettre("sdt")
    assert m.etape_courante() == E.CERTIFICAT_24H
    assert m.statut_apres("certificat_24h") == E.CERTIFICAT_72H
    assert m.statut_apres("levee") == E.LEVEE
    assert m.statut_apres("saisine_juge") == E.CERTIFICAT_24H  # a saisine does not stand for the certificates


def test_une_mesure_admise_avant_les_etapes_montre_son_admission_et_ses_actes(monde, client_de, admettre):
    m = admettre("sdt")
    bureau = monde.users["bureau_admissions"]
    TransitionMesure.objects.filter(mesure=m).delete()  # as a measure admitted before this page existed
    ActeMesure.objects.create(mesure=m, type="certificat_24h", date_heure=m.t0 + timedelta(hours=20), auteur="Dr A",
                              psychiatre_etablissement=True, conclusion="maintien", created_by=bureau)
    page = _page(client_de(bureau), m)
    chrono = page[page.index('aria-label="Chronologie de la mesure"'):]
    assert re.findall(r'data-chrono="([a-z0-9_]+)"', chrono) == ["admission", "certificat_24h"]
    assert _courante(page) == E.CERTIFICAT_72H
