"""The psychiatrist's evaluations of isolation (2 per 24 h) and restraint (2 per 12 h): recorded on the decision's page,
each period a deadline of the measure, the count in the legal register; and the acts of the mayor's provisional
measure and of the family's information in péril imminent, refused for another mode."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qualite.echeances.moteur import echeances_de
from usagers.ssc import services
from usagers.ssc.models import EvaluationIsolement, MesureIsolement

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


@pytest.fixture
def isolement(monde, admettre):
    """An isolation begun 30 h ago, renewed twice without a break (12 h + 12 h + ongoing)."""
    maintenant = timezone.now().replace(second=0, microsecond=0)
    m = admettre("sdt", t0=timezone.localtime(maintenant - timedelta(days=4)))
    psy = monde.users["psychiatre"]
    debut = maintenant - 30 * H
    decisions = []
    for k, fin in enumerate((debut + 12 * H, debut + 24 * H, None)):
        d = MesureIsolement(type="isolement", psychiatre="Dr Un", debut=debut + 12 * H * k, fin=fin, surveillance="IDE")
        decisions.append(services.isolement_enregistrer(mesure=m, par=psy, decision=d))
    return m, decisions, debut


def _evaluations(m):
    return {e.cle: e for e in echeances_de(m) if e.regle.code == "ssc-isolement-evaluation"}


def _evaluer(monde, decision, quand, psychiatre="Dr Deux"):
    return services.evaluation_enregistrer(decision=decision, par=monde.users["psychiatre"],
                                           donnees={"date_heure": quand, "psychiatre": psychiatre, "observations": ""})


def test_une_echeance_par_periode_de_24_h_la_periode_en_cours_a_venir(isolement):
    m, _decisions, debut = isolement
    echeances = _evaluations(m)
    assert len(echeances) == 2  # period 1 (over, missed) and period 2 (going on)
    premiere, seconde = sorted(echeances.values(), key=lambda e: e.echeance)
    assert premiere.echeance == debut + 24 * H and premiere.statut == "en_retard"
    assert seconde.echeance == debut + 48 * H and seconde.statut in ("a_venir", "du_aujourdhui")
    assert premiere.delai_applique == "24 h"


def test_la_deuxieme_evaluation_de_la_periode_la_satisfait(monde, isolement):
    m, decisions, debut = isolement
    _evaluer(monde, decisions[0], debut + 2 * H)
    assert all(e.satisfaite_le is None for e in _evaluations(m).values())  # one is not enough
    _evaluer(monde, decisions[1], debut + 20 * H)  # a renewal of the same run: the same period
    premiere = min(_evaluations(m).values(), key=lambda e: e.echeance)
    assert premiere.satisfaite_le == debut + 20 * H and premiere.statut == "satisfait"


def test_une_mesure_terminee_en_cours_de_periode_ne_doit_plus_cette_periode(monde, isolement):
    m, decisions, debut = isolement
    en_cours = decisions[2]
    services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=en_cours, revision=en_cours.revision,
                                   modifications={"fin": debut + 28 * H})
    echeances = _evaluations(m)
    ouvertes = [e for e in echeances.values() if not e.sans_objet]
    assert len(ouvertes) == 1 and ouvertes[0].echeance == debut + 24 * H
    assert any(e.sans_objet for e in echeances.values())  # the second period, kept visible, no longer owed


@pytest.mark.parametrize(("decalage", "champ", "message"), [
    (-H, "date_heure", "précéder le début"),
    (13 * H, "date_heure", "suivre la fin"),
])
def test_evaluation_hors_de_la_decision_refusee(monde, isolement, decalage, champ, message):
    _m, decisions, debut = isolement
    with pytest.raises(ValidationError) as exc:
        _evaluer(monde, decisions[0], debut + decalage)
    assert message in " ".join(exc.value.message_dict[champ])
    assert not EvaluationIsolement.objects.exists()


def test_evaluation_dans_le_futur_ou_sans_psychiatre_refusee(monde, isolement):
    _m, decisions, _debut = isolement
    with pytest.raises(ValidationError) as exc:
        _evaluer(monde, decisions[2], timezone.now() + H, psychiatre=" ")
    assert set(exc.value.message_dict) == {"date_heure", "psychiatre"}


def test_le_psychiatre_saisit_l_evaluation_a_l_ecran_et_le_registre_la_compte(monde, isolement, client_de):
    m, decisions, debut = isolement
    client = client_de(monde.users["psychiatre"])
    url = reverse("usagers:ssc_isolement_evaluation", args=[m.pk, decisions[0].pk])
    quand = timezone.localtime(debut + 3 * H)
    reponse = client.post(url, {"eval-date_heure": quand.strftime("%Y-%m-%dT%H:%M"), "eval-psychiatre": "Dr Deux",
                                "eval-observations": "Calme."})
    assert reponse.status_code == 302
    assert EvaluationIsolement.objects.get().created_by == monde.users["psychiatre"]
    erreur = client.post(url, {"eval-date_heure": "", "eval-psychiatre": "Dr Deux"})
    assert erreur.status_code == 400 and erreur.context["evaluation_form"].errors["date_heure"]
    page = client.get(reverse("usagers:ssc_isolement_modifier", args=[m.pk, decisions[0].pk])).content.decode()
    assert "Dr Deux" in page and "Calme." in page
    registre = client.get(reverse("usagers:ssc_registre"))
    lignes = {d.pk: ligne for d, ligne in registre.context["lignes"]}
    colonne = registre.context["colonnes"].index("Évaluations")
    assert lignes[decisions[0].pk][colonne] == 1 and lignes[decisions[1].pk][colonne] == 0


@pytest.mark.parametrize("role", ["gestionnaire_risques", "membre_cdu", "declarant"])
def test_hors_soins_sans_consentement_pas_d_evaluation(monde, isolement, client_de, role):
    m, decisions, debut = isolement
    reponse = client_de(monde.users[role]).post(
        reverse("usagers:ssc_isolement_evaluation", args=[m.pk, decisions[0].pk]),
        {"eval-date_heure": timezone.localtime(debut + H).strftime("%Y-%m-%dT%H:%M"), "eval-psychiatre": "Dr X"})
    assert reponse.status_code == 404
    assert not EvaluationIsolement.objects.exists()


@pytest.mark.parametrize(("mode", "type_", "permis"), [
    ("sdre_maire", "refere_prefet", True), ("sdre", "refere_prefet", False), ("sdt", "refere_prefet", False),
    ("spi", "information_famille", True), ("sdt", "information_famille", False),
])
def test_actes_du_maire_et_de_la_famille_selon_le_mode(monde, admettre, mode, type_, permis):
    m = admettre(mode, t0=timezone.localtime() - timedelta(days=2))
    donnees = {"type": type_, "date_heure": m.t0 + 5 * H, "auteur": "Mairie" if type_ == "refere_prefet" else "Direction"}
    if not permis:
        with pytest.raises(ValidationError) as exc:
            services.acte_ajouter(mesure=m, par=monde.users["bureau_admissions"], donnees=donnees)
        assert "type" in exc.value.message_dict
        return
    services.acte_ajouter(mesure=m, par=monde.users["bureau_admissions"], donnees=donnees)
    regle = "ssc-maire-refere-prefet" if type_ == "refere_prefet" else "ssc-spi-information-famille"
    (e,) = [e for e in echeances_de(m) if e.regle.code == regle]
    assert e.statut == "satisfait" and e.echeance == m.t0 + 24 * H
    assert e.regle.a_verifier is (regle == "ssc-spi-information-famille")


def test_un_double_envoi_n_enregistre_qu_une_evaluation(monde, isolement, client_de):
    m, decisions, debut = isolement
    client = client_de(monde.users["psychiatre"])
    url = reverse("usagers:ssc_isolement_evaluation", args=[m.pk, decisions[0].pk])
    donnees = {"eval-date_heure": timezone.localtime(debut + 3 * H).strftime("%Y-%m-%dT%H:%M"),
               "eval-psychiatre": "Dr Deux", "eval-cle_creation": "6f1c1d2e-8a4b-4c1e-9a55-3a0e5b7c9d10"}
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302
    assert EvaluationIsolement.objects.count() == 1
