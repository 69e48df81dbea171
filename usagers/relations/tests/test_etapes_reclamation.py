"""Guided steps of a complaint: the step bar, only the next legal moves as buttons, the state follows the work, every
move kept with who and when, and the timeline lists them all."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from qualite.organisation.models import AuditEntry
from usagers.relations import services
from usagers.relations.models import GesteReclamation as G
from usagers.relations.models import MembreCDU, Reclamation, SeanceCDU, TransitionReclamation
from usagers.relations.models import StatutReclamation as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def relations(monde):
    return monde.users["relations_usagers"]


def _rec(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
               "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "objet": "Attente aux urgences.",
               "recue_le": timezone.localdate() - timedelta(days=30)}
    donnees.update(kw)
    return services.reclamation_enregistrer(par=monde.users["relations_usagers"], donnees=donnees, services=[])


def _url(rec, geste=None):
    if geste is None:
        return reverse("usagers:reclamation", args=[rec.pk])
    return reverse("usagers:reclamation_geste", args=[rec.pk, geste])


def _boutons(html: str) -> list[str]:
    return re.findall(r'<button[^>]*type="submit" data-geste="([a-z_]+)"', html)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _jour(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


class TestModele:
    def test_gestes_offerts_selon_l_etat(self, monde):
        rec = Reclamation(etablissement=monde.etab_a, nature="reclamation", recue_le=date(2026, 1, 5))
        assert rec.prochains_gestes() == [G.ACCUSE]
        rec.accuse_le = date(2026, 1, 6)
        assert rec.prochains_gestes() == [G.SAISINE, G.PREMIERE_REPONSE, G.REPONSE_FINALE]
        rec.mediation, rec.mediateur_saisi_le = "medicale", date(2026, 1, 7)
        assert rec.prochains_gestes() == [G.RENCONTRE, G.REFUS, G.PREMIERE_REPONSE]
        rec.rencontre_le, rec.premiere_reponse_le = date(2026, 1, 10), date(2026, 1, 10)
        assert rec.prochains_gestes() == [G.RAPPORT]
        rec.rapport_le = date(2026, 1, 15)
        assert rec.prochains_gestes() == [G.AVIS_CDU]
        rec.seance_cdu = SeanceCDU(etablissement=monde.etab_a, date=date(2026, 1, 20), pk=1)
        assert rec.prochains_gestes() == [G.REPONSE_FINALE]
        rec.reponse_finale_le = date(2026, 1, 25)
        assert rec.prochains_gestes() == []

    def test_un_refus_de_rencontre_mene_a_la_cdu_ou_a_la_reponse(self, monde):
        rec = Reclamation(etablissement=monde.etab_a, nature="plainte", recue_le=date(2026, 1, 5), accuse_le=date(2026, 1, 6),
                          premiere_reponse_le=date(2026, 1, 6), mediation="medicale", mediateur_saisi_le=date(2026, 1, 7),
                          mediation_refusee=True)
        assert rec.prochains_gestes() == [G.AVIS_CDU, G.REPONSE_FINALE]

    def test_un_eloge_est_accuse_puis_clos(self, monde):
        rec = Reclamation(etablissement=monde.etab_a, nature="eloge", recue_le=date(2026, 1, 5), accuse_le=date(2026, 1, 6))
        assert rec.prochains_gestes() == [G.REPONSE_FINALE]
        assert [e["statut"] for e in rec.etapes()] == [S.RECUE, S.EN_INSTRUCTION, S.CLOSE]

    def test_barre_d_etapes(self, monde):
        rec = Reclamation(etablissement=monde.etab_a, nature="reclamation", recue_le=date(2026, 1, 5),
                          accuse_le=date(2026, 1, 6), mediation="medicale", mediateur_saisi_le=date(2026, 1, 7))
        assert [e["etat"] for e in rec.etapes()] == ["fait", "fait", "courant", "a_venir", "a_venir", "a_venir"]
        # closed without mediation: the bar skips the steps it never went through
        sans = Reclamation(etablissement=monde.etab_a, nature="reclamation", recue_le=date(2026, 1, 5),
                           accuse_le=date(2026, 1, 6), reponse_finale_le=date(2026, 1, 9))
        assert [(e["statut"], e["etat"]) for e in sans.etapes()] == [
            (S.RECUE, "fait"), (S.EN_INSTRUCTION, "fait"), (S.CLOSE, "courant")]

    def test_le_statut_ne_recule_jamais(self, monde):
        rec = Reclamation(etablissement=monde.etab_a, nature="reclamation", recue_le=date(2026, 1, 5),
                          accuse_le=date(2026, 1, 6), rapport_le=date(2026, 1, 9), mediateur_saisi_le=date(2026, 1, 7))
        assert rec.statut == S.RAPPORT_RENDU
        assert rec.statut_apres(G.SAISINE) == S.RAPPORT_RENDU
        assert rec.statut_apres(G.PREMIERE_REPONSE) == S.RAPPORT_RENDU
        assert rec.statut_apres(G.AVIS_CDU) == S.AVIS_CDU


class TestParLesBoutons:
    def test_chemin_complet_uniquement_par_les_boutons_et_chronologie(self, monde, client_de, relations):
        rec = _rec(monde)
        ru = MembreCDU.objects.create(etablissement=monde.etab_a, nom="Jeanne Ru", role="ru_titulaire",
                                      debut_mandat=date(2025, 1, 1), fin_mandat=date(2028, 1, 1))
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=timezone.localdate() - timedelta(days=3),
                                          statut="tenue")
        client = client_de(relations)
        chemin = [
            ([G.ACCUSE], G.ACCUSE, {"accuse_le": _jour(28)}, S.EN_INSTRUCTION),
            ([G.SAISINE, G.PREMIERE_REPONSE, G.REPONSE_FINALE], G.SAISINE,
             {"mediation": "medicale", "mediateur_saisi_le": _jour(20)}, S.EN_MEDIATION),
            ([G.RENCONTRE, G.REFUS, G.PREMIERE_REPONSE], G.PREMIERE_REPONSE, {"premiere_reponse_le": _jour(18)},
             S.EN_MEDIATION),
            ([G.RENCONTRE, G.REFUS], G.RENCONTRE, {"rencontre_le": _jour(15), "ru_accompagnant": ru.pk}, S.EN_MEDIATION),
            ([G.RAPPORT], G.RAPPORT, {"rapport_le": _jour(10)}, S.RAPPORT_RENDU),
            ([G.AVIS_CDU], G.AVIS_CDU, {"seance_cdu": seance.pk, "avis_cdu": "La CDU propose de clore."}, S.AVIS_CDU),
            ([G.REPONSE_FINALE], G.REPONSE_FINALE, {"reponse_finale_le": _jour(1)}, S.CLOSE),
        ]
        for offerts, geste, champs, statut in chemin:
            page = texte(client.get(_url(rec)))
            assert _boutons(page) == offerts, geste
            response = client.post(_url(rec, geste), {f"geste-{geste}-{k}": v for k, v in champs.items()}, follow=True)
            assert response.redirect_chain[-1][0] == _url(rec)
            rec.refresh_from_db()
            assert rec.statut == statut, geste
        page = texte(client.get(_url(rec)))
        assert _boutons(page) == []
        assert 'data-etape="close" aria-current="step"' in page
        assert rec.ru_accompagnant == ru and rec.avis_cdu == "La CDU propose de clore."
        transitions = list(TransitionReclamation.objects.filter(reclamation=rec))
        assert [t.geste for t in transitions] == [g for _o, g, _c, _s in chemin]
        assert all(t.par_id == relations.pk and t.le is not None for t in transitions)
        assert [(t.de, t.vers) for t in transitions][0] == (S.RECUE, S.EN_INSTRUCTION)
        for libelle in ("Accusé de réception envoyé — passe à « Réception accusée, en instruction »",
                        "Médiateur saisi — passe à « En médiation »", "Première réponse envoyée",
                        "Rencontre avec le médiateur", "Rapport du médiateur reçu — passe à « Rapport du médiateur rendu »",
                        "Avis de la CDU — passe à « Avis de la CDU rendu »",
                        "Réponse finale du directeur, réclamation close — passe à « Close (réponse finale envoyée) »"):
            assert libelle in page, libelle
        chronologie = page.split("data-chronologie")[1].split("</ol>")[0]
        assert chronologie.count("<li") == len(chemin)
        assert chronologie.count(relations.get_full_name() or relations.username) == len(chemin)
        assert AuditEntry.objects.filter(action="modification", object_id=str(rec.pk)).count() == len(chemin)
        # the deadlines followed the work: the final answer's one is met
        from qualite.echeances.moteur import echeances_de
        assert {e.regle.code: e.statut for e in echeances_de(rec)}["rec-reponse-finale"] == "satisfait"

    def test_les_formulaires_des_etapes_non_atteintes_ne_sont_pas_sur_la_page(self, monde, client_de, relations):
        rec = _rec(monde)
        page = texte(client_de(relations).get(_url(rec)))
        assert 'data-formulaire-geste="accuse"' in page
        for champ in ("mediateur_saisi_le", "rencontre_le", "rapport_le", "seance_cdu", "reponse_finale_le", "accuse_le"):
            assert f'name="{champ}"' not in page, champ
        assert 'name="objet"' in page  # the description stays editable

    def test_une_etape_franchie_se_corrige_mais_ne_s_efface_pas(self, monde, client_de, relations):
        rec = _rec(monde, accuse_le=timezone.localdate() - timedelta(days=28))
        client = client_de(relations)
        response = client.get(_url(rec))
        form = response.context["form"]
        donnees = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
        donnees.update(categories=["soins"], revision=rec.revision, etablissement=monde.etab_a.pk, accuse_le="")
        response = client.post(_url(rec), donnees)
        assert response.status_code == 200 and response.context["form"].errors["accuse_le"]
        rec.refresh_from_db()
        assert rec.accuse_le is not None and rec.statut == S.EN_INSTRUCTION


class TestRefus:
    def test_un_geste_interdit_est_refuse_en_francais_sans_rien_ecrire(self, monde, client_de, relations):
        rec = _rec(monde)
        client = client_de(relations)
        response = client.post(_url(rec, G.REPONSE_FINALE), {"geste-reponse_finale-reponse_finale_le": _jour(1)},
                               follow=True)
        assert response.status_code == 200
        assert _messages(response) == ["« Réponse finale du directeur, réclamation close » n'est pas possible à l'étape "
                                       "« Reçue » : seuls les gestes proposés sur la fiche le sont."]
        rec.refresh_from_db()
        assert rec.reponse_finale_le is None and rec.statut == S.RECUE
        assert not TransitionReclamation.objects.exists()
        assert client.post(_url(rec, "supprimer")).status_code == 404

    def test_le_service_refuse_aussi_le_geste_interdit(self, monde, relations):
        rec = _rec(monde)
        with pytest.raises(services.GesteRefuse):
            services.reclamation_faire_geste(reclamation=rec, geste=G.RAPPORT, par=relations,
                                             donnees={"rapport_le": timezone.localdate()})
        assert not TransitionReclamation.objects.exists()

    def test_double_post_un_seul_geste(self, monde, client_de, relations):
        rec = _rec(monde)
        client = client_de(relations)
        donnees = {"geste-accuse-accuse_le": _jour(28)}
        client.post(_url(rec, G.ACCUSE), donnees)
        second = client.post(_url(rec, G.ACCUSE), donnees, follow=True)
        assert _messages(second)[-1] == "« Accusé de réception envoyé » est déjà enregistré : rien n'a été ajouté."
        assert TransitionReclamation.objects.filter(reclamation=rec).count() == 1
        rec.refresh_from_db()
        assert rec.revision == 2  # one write, not two

    def test_date_invalide_message_sous_le_champ_rien_ecrit(self, monde, client_de, relations):
        rec = _rec(monde)
        client = client_de(relations)
        avant = (timezone.localdate() - timedelta(days=40)).isoformat()
        response = client.post(_url(rec, G.ACCUSE), {"geste-accuse-accuse_le": avant})
        assert response.status_code == 200
        geste = next(g for g in response.context["gestes"] if g["code"] == G.ACCUSE)
        assert "L'accusé de réception ne peut précéder la réception" in " ".join(geste["form"].errors["accuse_le"])
        futur = client.post(_url(rec, G.ACCUSE), {"geste-accuse-accuse_le": _jour(-3)})
        assert futur.status_code == 200
        manque = client.post(_url(rec, G.ACCUSE), {})
        assert manque.status_code == 200
        rec.refresh_from_db()
        assert rec.accuse_le is None and not TransitionReclamation.objects.exists()

    def test_une_seance_d_un_autre_etablissement_est_refusee(self, monde, client_de, relations):
        rec = _rec(monde, accuse_le=timezone.localdate() - timedelta(days=28), mediation="medicale",
                   mediateur_saisi_le=timezone.localdate() - timedelta(days=20), mediation_refusee=True)
        ailleurs = SeanceCDU.objects.create(etablissement=monde.etab_b, date=timezone.localdate())
        response = client_de(relations).post(_url(rec, G.AVIS_CDU), {
            "geste-avis_cdu-seance_cdu": ailleurs.pk, "geste-avis_cdu-avis_cdu": "Clore."})
        assert response.status_code == 200
        rec.refresh_from_db()
        assert rec.seance_cdu_id is None and not TransitionReclamation.objects.exists()


class TestDroits:
    def test_sans_la_permission_pas_de_boutons_et_403(self, monde, client_de):
        rec = _rec(monde)
        for role in ("mediateur", "direction", "membre_cdu"):
            client = client_de(monde.users[role])
            page = client.get(_url(rec))
            assert page.status_code == 200
            assert _boutons(texte(page)) == [] and "Prochaines étapes" not in texte(page), role
            assert 'data-etape="recue" aria-current="step"' in texte(page), role  # the bar, even anonymised
            assert client.post(_url(rec, G.ACCUSE), {"geste-accuse-accuse_le": _jour(28)}).status_code == 403, role
        rec.refresh_from_db()
        assert rec.accuse_le is None and not TransitionReclamation.objects.exists()

    def test_autre_etablissement_404_et_get_refuse(self, monde, client_de, relations):
        rec = _rec(monde)
        from qualite.organisation.tests.factories import UtilisateurFactory

        relations_b = UtilisateurFactory(username="relations_b", roles=["relations_usagers"], etablissements=[monde.etab_b])
        assert client_de(relations_b).post(_url(rec, G.ACCUSE), {"geste-accuse-accuse_le": _jour(28)}).status_code == 404
        assert not TransitionReclamation.objects.exists()
        assert client_de(relations).get(_url(rec, G.ACCUSE)).status_code == 405


def test_requetes_de_la_fiche_bornees(monde, client_de, relations, django_assert_max_num_queries):
    rec = _rec(monde)
    client = client_de(relations)
    seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=timezone.localdate(), statut="tenue")
    for geste, champs in ((G.ACCUSE, {"accuse_le": _jour(28)}), (G.PREMIERE_REPONSE, {"premiere_reponse_le": _jour(27)}),
                          (G.SAISINE, {"mediation": "medicale", "mediateur_saisi_le": _jour(20)}), (G.REFUS, {}),
                          (G.AVIS_CDU, {"seance_cdu": seance.pk, "avis_cdu": "Clore."})):
        services.reclamation_faire_geste(reclamation=rec, geste=geste, par=relations, donnees={
            k: (seance if k == "seance_cdu" else date.fromisoformat(v) if k.endswith("_le") else v) for k, v in champs.items()})
    client.get(_url(rec))  # warm the per-process caches (rules, templates)
    with django_assert_max_num_queries(25):  # 20 measured; does not grow with the gestures done
        response = client.get(_url(rec))
    assert response.status_code == 200 and len(_boutons(texte(response))) == 1


@pytest.mark.django_db(transaction=True)
def test_deux_clics_simultanes_un_seul_geste():
    """The second request waits on the row lock the first holds, then finds the step done: refused, one move."""
    import threading
    import time

    from django.db import connection, transaction

    from conftest import construire_monde, recharger_referentiels

    recharger_referentiels()
    monde = construire_monde()
    relations = monde.users["relations_usagers"]
    rec = _rec(monde)
    donnees = {"accuse_le": timezone.localdate() - timedelta(days=28)}
    resultat = {}

    def second_clic():
        try:
            services.reclamation_faire_geste(reclamation=rec, geste=G.ACCUSE, par=relations, donnees=donnees)
            resultat["second"] = "enregistré"
        except services.GesteRefuse as refus:
            resultat["second"] = "déjà fait" if refus.deja_fait else "refusé"
        finally:
            connection.close()

    with transaction.atomic():
        services.reclamation_faire_geste(reclamation=rec, geste=G.ACCUSE, par=relations, donnees=donnees)
        concurrent = threading.Thread(target=second_clic)
        concurrent.start()
        # Commit only once the second click is really waiting on this row (not merely started after the first).
        limite = time.monotonic() + 20
        with connection.cursor() as curseur:
            while time.monotonic() < limite:
                curseur.execute("SELECT pg_stat_clear_snapshot()")  # the view is frozen within a transaction
                curseur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                "AND wait_event_type = 'Lock'")
                if curseur.fetchone()[0]:
                    break
            else:
                pytest.fail("Le second clic n'a jamais attendu le verrou de la réclamation.")
    concurrent.join(timeout=30)
    assert resultat == {"second": "déjà fait"}
    assert TransitionReclamation.objects.filter(reclamation=rec).count() == 1
