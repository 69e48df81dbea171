"""The complaints and medical-record request lists: next deadline and state columns from the deadline engine
(in SQL), sortable headers, the text search (anonymised readers search no name nor the complaint's words),
one filter bar."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qualite.echeances.models import Echeance
from qualite.echeances.moteur import echeances_de
from usagers.relations import services
from usagers.relations.filters import TABLEAU_DOSSIERS, TABLEAU_RECLAMATIONS, TABLEAU_RECLAMATIONS_ANONYMES

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
RECLAMATIONS = reverse("usagers:reclamations")
DOSSIERS = reverse("usagers:dossiers")


def _rec(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
               "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "patient_nom": "Paulette Lenoir",
               "objet": "Attente de six heures aux urgences sans information.", "recue_le": timezone.localdate()}
    donnees.update(kw)
    return services.reclamation_enregistrer(par=monde.users["relations_usagers"], donnees=donnees, services=[monde.service_a])


def _demande(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "patient_nom": "Jeanne Martin", "patient_naissance": date(1950, 5, 1),
               "demandeur_type": "patient", "demandeur_nom": "Jeanne Martin", "identite_verifiee": True,
               "qualite_verifiee": True, "recue_le": timezone.now() - timedelta(days=2),
               "informations_du": timezone.localdate() - timedelta(days=30)}
    donnees.update(kw)
    return services.demande_enregistrer(par=monde.users["relations_usagers"], donnees=donnees)


def _cdu(monde):
    client = Client()
    client.force_login(monde.users["membre_cdu"])
    return client


def _prochaine(objet):
    ouvertes = [e for e in echeances_de(objet) if e.satisfaite_le is None and not e.sans_objet]
    return min(ouvertes, key=lambda e: (e.echeance, e.pk)) if ouvertes else None


class TestColonneEcheance:
    def test_la_reclamation_montre_sa_prochaine_echeance_et_son_statut(self, monde, client_de):
        en_retard = _rec(monde, recue_le=timezone.localdate() - timedelta(days=60))
        recente = _rec(monde)
        page = client_de(monde.users["relations_usagers"]).get(RECLAMATIONS).context["page"]
        lignes = {r.pk: r for r in page}
        for rec in (en_retard, recente):
            attendue = _prochaine(rec)
            assert lignes[rec.pk].prochaine_echeance == attendue.echeance
            assert lignes[rec.pk].prochaine_echeance_libelle == attendue.regle.libelle
            assert lignes[rec.pk].statut_echeance == attendue.statut
        assert lignes[en_retard.pk].statut_echeance == Echeance.Statut.EN_RETARD
        html = client_de(monde.users["relations_usagers"]).get(RECLAMATIONS).content.decode()
        assert "En retard" in html and f'href="{reverse("usagers:reclamation", args=[recente.pk])}"' in html

    def test_une_reclamation_close_n_a_plus_d_echeance(self, monde, client_de):
        close = _rec(monde, recue_le=date(2026, 1, 5), accuse_le=date(2026, 1, 6), premiere_reponse_le=date(2026, 1, 7),
                     reponse_finale_le=date(2026, 1, 20))
        ligne = client_de(monde.users["relations_usagers"]).get(RECLAMATIONS).context["page"][0]
        assert ligne.pk == close.pk and _prochaine(close) is None
        assert ligne.prochaine_echeance is None and ligne.statut_echeance is None

    def test_la_cdu_voit_l_echeance_sans_nom(self, monde):
        rec = _rec(monde, recue_le=timezone.localdate() - timedelta(days=60))
        response = _cdu(monde).get(RECLAMATIONS)
        ligne = response.context["page"][0]
        assert ligne["prochaine_echeance"] == _prochaine(rec).echeance
        html = response.content.decode()
        assert "En retard" in html and "Lenoir" not in html

    def test_la_demande_de_dossier_montre_son_echeance_et_son_etat(self, monde, client_de):
        ouverte = _demande(monde)
        communiquee = _demande(monde, patient_nom="Éloïse Bérard", mode="copie_papier",
                               recue_le=timezone.now() - timedelta(days=5), communiquee_le=timezone.now() - timedelta(days=1))
        response = client_de(monde.users["relations_usagers"]).get(DOSSIERS)
        lignes = {d.pk: d for d in response.context["page"]}
        assert lignes[ouverte.pk].prochaine_echeance == _prochaine(ouverte).echeance
        assert lignes[ouverte.pk].statut_echeance == Echeance.Statut.A_VENIR
        assert lignes[ouverte.pk].etat == "En cours"
        assert lignes[communiquee.pk].etat == "Communiquée" and lignes[communiquee.pk].prochaine_echeance is None
        html = response.content.decode()
        assert "À venir" in html and "Aucune en cours" in html


class TestTri:
    def test_chaque_colonne_des_reclamations_trie_dans_les_deux_sens(self, monde, client_de, settings):
        settings.PAGES_EN_CACHE = False  # the same URL asked again: read its context, which a kept page has not
        _rec(monde, auteur_nom="Zoé Abel", nature="plainte", recue_le=timezone.localdate() - timedelta(days=40))
        _rec(monde, auteur_nom="Émile Zola", nature="eloge")
        _rec(monde, auteur_nom="Anne Martin", recue_le=date(2026, 1, 5), accuse_le=date(2026, 1, 6),
             premiere_reponse_le=date(2026, 1, 7), reponse_finale_le=date(2026, 1, 20))
        client = client_de(monde.users["relations_usagers"])
        for tableau, c in ((TABLEAU_RECLAMATIONS, client), (TABLEAU_RECLAMATIONS_ANONYMES, _cdu(monde))):
            for cle in tableau.triables:
                for sens, aria in (("", "ascending"), ("-", "descending")):
                    response = c.get(RECLAMATIONS, {"tri": sens + cle})
                    assert response.status_code == 200
                    assert f'aria-sort="{aria}"><a' in response.content.decode()
                    assert len(response.context["page"]) == 3
        recues = [r.recue_le for r in client.get(RECLAMATIONS, {"tri": "recue_le"}).context["page"]]
        assert recues == sorted(recues)
        natures = [r.nature for r in client.get(RECLAMATIONS, {"tri": "nature"}).context["page"]]
        assert natures == ["plainte", "reclamation", "eloge"]  # the order of the choices, not of the codes
        echeances = [r.prochaine_echeance for r in client.get(RECLAMATIONS, {"tri": "echeance"}).context["page"]]
        assert echeances[-1] is None and echeances[0] < echeances[1]  # no open deadline: last

    def test_chaque_colonne_des_dossiers_trie_dans_les_deux_sens(self, monde, client_de, settings):
        settings.PAGES_EN_CACHE = False  # the same URL asked again: read its context, which a kept page has not
        _demande(monde, patient_nom="Zoé Abel")
        _demande(monde, patient_nom="Anne Martin", recue_le=timezone.now() - timedelta(days=20))
        _demande(monde, patient_nom="Léa Roux", mode="copie_papier", recue_le=timezone.now() - timedelta(days=5),
                 communiquee_le=timezone.now())
        client = client_de(monde.users["relations_usagers"])
        for cle in TABLEAU_DOSSIERS.triables:
            for sens, aria in (("", "ascending"), ("-", "descending")):
                response = client.get(DOSSIERS, {"tri": sens + cle})
                assert response.status_code == 200 and f'aria-sort="{aria}"><a' in response.content.decode()
                assert len(response.context["page"]) == 3
        patients = [d.patient_nom for d in client.get(DOSSIERS, {"tri": "-patient"}).context["page"]]
        assert patients == ["Zoé Abel", "Léa Roux", "Anne Martin"]
        etats = [d.etat for d in client.get(DOSSIERS, {"tri": "etat"}).context["page"]]
        assert etats == sorted(etats)

    def test_un_tri_inconnu_est_ignore(self, monde, client_de):
        anciennes = _rec(monde, recue_le=date(2026, 1, 5))
        recente = _rec(monde)
        for tri in ("auteur_adresse", "-objet", "resume_anonymise", "';--"):
            for c in (client_de(monde.users["relations_usagers"]), _cdu(monde)):
                response = c.get(RECLAMATIONS, {"tri": tri})
                assert response.status_code == 200 and "aria-sort" not in response.content.decode()
                ids = [r.pk if hasattr(r, "pk") else r["id"] for r in response.context["page"]]
                assert ids == [recente.pk, anciennes.pk]
        assert client_de(monde.users["relations_usagers"]).get(DOSSIERS, {"tri": "patient_naissance"}).status_code == 200


class TestRecherche:
    def test_le_personnel_cherche_noms_et_objet_sans_accents(self, monde, client_de):
        helene = _rec(monde, auteur_nom="Hélène Dupré", objet="Repas froid servi à l'hôpital de jour.")
        autre = _rec(monde, auteur_nom="Paul Durand", objet="Perte de lunettes.")
        client = client_de(monde.users["relations_usagers"])

        def trouves(q):
            return {r.pk for r in client.get(RECLAMATIONS, {"q": q}).context["page"]}

        assert trouves("helene") == trouves("Hélène") == trouves("dupre") == {helene.pk}
        assert trouves("hopital") == trouves("repas") == {helene.pk}
        assert trouves("lunette") == {autre.pk}
        assert trouves(autre.reference) == {autre.pk}

    def test_la_cdu_ne_cherche_ni_dans_les_noms_ni_dans_l_objet(self, monde):
        rec = _rec(monde, auteur_nom="Hélène Dupré", objet="Repas froid servi à l'hôpital de jour.",
                   resume_anonymise="Plainte sur la température des repas.", resume_valide=True)
        _rec(monde, auteur_nom="Paul Durand", resume_anonymise="Plainte sur l'accueil téléphonique.", resume_valide=False)
        cdu = _cdu(monde)

        def trouves(q):
            return {r["id"] for r in cdu.get(RECLAMATIONS, {"q": q}).context["page"]}

        assert trouves("dupre") == trouves("Hélène") == trouves("hopital") == set()
        assert trouves("temperature") == {rec.pk}
        assert trouves("telephonique") == set()  # summary not validated: not searched
        assert trouves(rec.reference) == {rec.pk}

    def test_la_recherche_reste_dans_le_perimetre(self, monde, client_de):
        a = _rec(monde, auteur_nom="Hélène Dupré")
        _rec(monde, auteur_nom="Hélène Dupré", etablissement=monde.etab_b)
        d = _demande(monde, patient_nom="Hélène Dupré")
        _demande(monde, patient_nom="Hélène Dupré", etablissement=monde.etab_b)
        client = client_de(monde.users["relations_usagers"])
        assert [r.pk for r in client.get(RECLAMATIONS, {"q": "helene"}).context["page"]] == [a.pk]
        assert [x.pk for x in client.get(DOSSIERS, {"q": "HELENE dupre"}).context["page"]] == [d.pk]

    @pytest.mark.parametrize("q", ["\x00", "a" * 5000, "& | ! : * ( ) ' \\", "-", '"'])
    def test_une_recherche_hostile_n_est_jamais_une_erreur(self, monde, q):
        _rec(monde)
        _demande(monde)
        for user, urls in (("relations_usagers", (RECLAMATIONS, DOSSIERS)), ("membre_cdu", (RECLAMATIONS,))):
            client = Client(raise_request_exception=False)
            client.force_login(monde.users[user])
            for url in urls:
                # A NUL byte is refused by the middleware for every page (French 400), never a 500.
                assert client.get(url, {"q": q}).status_code == (400 if "\x00" in q else 200)

    def test_la_recherche_est_tracee_dans_le_journal(self, monde, client_de):
        from qualite.organisation.models import AuditEntry

        _demande(monde)
        client_de(monde.users["relations_usagers"]).get(DOSSIERS, {"q": "martin"})
        assert AuditEntry.objects.filter(details__recherche="martin").exists()


class TestBarreDeFiltres:
    def test_une_seule_barre_garde_filtres_tri_et_recherche(self, monde, client_de):
        for i in range(52):
            _rec(monde, nature="plainte", objet=f"Attente numéro {i}.")
        client = client_de(monde.users["relations_usagers"])
        html = client.get(RECLAMATIONS, {"nature": "plainte", "q": "attente", "tri": "-reference"}).content.decode()
        assert html.count('class="row row-cols-lg-auto g-2 align-items-end mb-3 barre-filtres"') == 1
        assert '<input type="hidden" name="tri" value="-reference">' in html
        suivante = re.search(r'href="\?([^"]*)">Suivante', html).group(1)
        assert "nature=plainte" in suivante and "q=attente" in suivante and "tri=-reference" in suivante
        export = re.search(r'href="\?([^"]*export=csv)"', html).group(1)
        assert "q=attente" in export
        html = client.get(DOSSIERS).content.decode()
        assert 'barre-filtres' in html and 'name="q"' in html

    def test_une_annee_invalide_est_signalee_sans_erreur(self, monde, client_de):
        _rec(monde)
        response = client_de(monde.users["relations_usagers"]).get(RECLAMATIONS, {"annee": "deux mille"})
        assert response.status_code == 200 and "Saisissez un nombre entier" in response.content.decode()


def test_les_listes_gardent_leur_nombre_de_requetes(monde, client_de, django_assert_max_num_queries):
    for i in range(30):
        _rec(monde, auteur_nom=f"Auteur {i}")
        if i % 3 == 0:
            _demande(monde, patient_nom=f"Patient {i}", recue_le=datetime(2026, 2, 2, 9, 30, tzinfo=PARIS))
    staff = client_de(monde.users["relations_usagers"])
    with django_assert_max_num_queries(10):
        assert staff.get(RECLAMATIONS, {"q": "auteur", "tri": "echeance"}).context["page"].paginator.count == 30
    cdu = _cdu(monde)
    with django_assert_max_num_queries(10):
        assert cdu.get(RECLAMATIONS, {"tri": "-echeance"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert staff.get(DOSSIERS, {"q": "patient", "tri": "echeance"}).context["page"].paginator.count == 10
