from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from evenements import services
from evenements.models import TRANSITIONS, DeclarationARS, EvenementIndesirable, Statut, TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.echeances.models import Echeance
from qualite.echeances.moteur import echeances_de

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _donnees(**kw):
    d = {"survenu_le": timezone.now() - timedelta(hours=2), "type": TypeEvenement.objects.first(),
         "description": "Erreur de dose", "personnes": ["patient"], "gravite_estimee": 3, "lieu": "",
         "mesures_immediates": "", "consequences": "", "confidentiel": False}
    d.update(kw)
    return d


def test_la_declaration_recoit_une_reference_annuelle_et_une_premiere_etape(monde):
    ev1 = services.evenement_declarer(declarant=monde.users["declarant"], service=monde.service_a, donnees=_donnees())
    ev2 = services.evenement_declarer(declarant=monde.users["declarant"], service=monde.service_a, donnees=_donnees())
    annee = timezone.localtime(ev1.survenu_le).year
    assert ev1.reference == f"EI-{annee}-00001" and ev2.reference == f"EI-{annee}-00002"
    assert (ev1.etablissement, ev1.pole) == (monde.etab_a, monde.pole_a)
    assert list(ev1.transitions.values_list("vers", flat=True)) == [Statut.DECLARE]


def test_une_declaration_dans_le_futur_est_refusee_sans_rien_enregistrer(monde):
    with pytest.raises(ValidationError) as exc:
        services.evenement_declarer(declarant=monde.users["declarant"], service=monde.service_a,
                                    donnees=_donnees(survenu_le=timezone.now() + timedelta(days=1)))
    assert "survenu_le" in exc.value.error_dict
    assert EvenementIndesirable.objects.count() == 0


@pytest.mark.parametrize("de", list(Statut.values))
@pytest.mark.parametrize("vers", list(Statut.values))
def test_chaque_transition_suit_la_table(monde, de, vers):
    ev = EvenementFactory(service=monde.service_a, statut=de, motif_classement="doublon" if de == Statut.CLASSE_SANS_SUITE else "")
    autorise = vers in TRANSITIONS[de]
    try:
        services.evenement_changer_statut(evenement=ev, par=monde.users["gestionnaire_risques"], vers=vers, motif="doublon")
    except ValidationError:
        assert not autorise
        ev.refresh_from_db()
        assert ev.statut == de
    else:
        assert autorise
        ev.refresh_from_db()
        assert ev.statut == vers
        assert ev.transitions.last().vers == vers


def test_le_classement_sans_suite_exige_un_motif(monde):
    ev = EvenementFactory(service=monde.service_a)
    with pytest.raises(ValidationError):
        services.evenement_changer_statut(evenement=ev, par=monde.users["gestionnaire_risques"], vers=Statut.CLASSE_SANS_SUITE)
    ev.refresh_from_db()
    assert ev.statut == Statut.DECLARE


def test_la_cloture_previent_le_declarant(monde, celery_eager, django_capture_on_commit_callbacks):
    ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], statut=Statut.PRIS_EN_CHARGE)
    with django_capture_on_commit_callbacks(execute=True):
        services.evenement_changer_statut(evenement=ev, par=monde.users["gestionnaire_risques"], vers=Statut.CLOTURE)
    assert [m.to for m in mail.outbox] == [[monde.users["declarant"].email]]
    assert "Clôturé" in mail.outbox[0].subject
    assert ev.description not in mail.outbox[0].body


def test_l_eigs_exige_les_criteres_r1413_67(monde):
    ev = EvenementFactory(service=monde.service_a)
    with pytest.raises(ValidationError) as exc:
        services.evenement_qualifier(evenement=ev, par=monde.users["gestionnaire_risques"],
                                     donnees={"gravite": 5, "vraisemblance": 2, "inattendu": True, "est_eigs": True})
    assert "est_eigs" in exc.value.error_dict
    assert not DeclarationARS.objects.exists()


def test_la_qualification_eigs_preremplit_la_declaration_ars(monde):
    ev = EvenementFactory(service=monde.service_a, mesures_immediates="Surveillance rapprochée")
    services.evenement_qualifier(evenement=ev, par=monde.users["gestionnaire_risques"], donnees={
        "gravite": 5, "vraisemblance": 2, "inattendu": True, "deces": True, "est_eigs": True})
    ev.refresh_from_db()
    assert ev.criticite == 10 and ev.zone() == "inacceptable"
    declaration = ev.declaration_ars
    assert declaration.premieres_mesures == "Surveillance rapprochée"
    assert ev.description in declaration.nature


def test_echeance_partie2_a_trois_mois_de_la_partie1_satisfaite_par_la_partie2(monde):
    ev = EvenementFactory(service=monde.service_a, survenu_le=datetime(2025, 11, 29, 22, 0, tzinfo=PARIS))
    d = DeclarationARS.objects.create(evenement=ev)
    envoi = datetime(2025, 11, 30, 16, 0, tzinfo=PARIS)
    services.declaration_ars_enregistrer(declaration=d, par=monde.users["gestionnaire_risques"],
                                         donnees={"partie1_envoyee_le": envoi})
    ech = Echeance.objects.get(regle__code="eigs-partie2")
    # 30 November + 3 months = 28 February (end of month), end of that day in Paris.
    assert timezone.localtime(ech.echeance).date().isoformat() == "2026-02-28"
    assert ech.regle.a_verifier
    services.declaration_ars_enregistrer(declaration=d, par=monde.users["gestionnaire_risques"],
                                         donnees={"partie2_envoyee_le": envoi + timedelta(days=60)})
    ech = echeances_de(d).get()
    assert ech.statut_calcule == Echeance.Statut.SATISFAIT


def test_partie2_avant_partie1_est_refusee(monde):
    ev = EvenementFactory(service=monde.service_a)
    d = DeclarationARS.objects.create(evenement=ev)
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.declaration_ars_enregistrer(declaration=d, par=monde.users["gestionnaire_risques"], donnees={
            "partie1_envoyee_le": now, "partie2_envoyee_le": now - timedelta(days=1)})
    d.refresh_from_db()
    assert d.partie1_envoyee_le is None
    assert not Echeance.objects.exists()


def test_l_analyse_remplace_ses_facteurs(monde):
    ev = EvenementFactory(service=monde.service_a)
    donnees = {"methode": "alarm", "date": timezone.localdate(), "participants": "IDE\nMédecin", "conclusions": "x"}
    a = services.analyse_enregistrer(evenement=ev, par=monde.users["gestionnaire_risques"], donnees=donnees,
                                     facteurs=[("tache", "Protocole absent"), ("equipe", "Transmission orale")])
    services.analyse_enregistrer(evenement=ev, par=monde.users["gestionnaire_risques"], donnees=donnees,
                                 facteurs=[("tache", "Protocole absent")], analyse=a)
    assert list(a.facteurs.actifs().values_list("categorie", "description")) == [("tache", "Protocole absent")]
    retire = a.facteurs.get(categorie="equipe")
    assert retire.retire_le is not None  # withdrawn, kept with its date
    assert retire.events.filter(pgh_label="update").exists()  # and in the history table
