"""Services of the meeting spaces: the calendar (atomic) and its deadlines, cancellation, minutes,
decisions turned into actions once, the annual review and the representatives' attendance."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualite.echeances.models import Echeance
from qualite.espaces import selectors, services
from qualite.espaces.models import PresenceReunion, ReunionEspace
from qualite.espaces.referentiels import REGLE_REUNION
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db


def _echeances(reunion):
    from django.contrib.contenttypes.models import ContentType

    return Echeance.objects.filter(content_type=ContentType.objects.get_for_model(reunion), object_id=reunion.pk)


def test_planifier_cree_les_reunions_et_une_echeance_par_reunion_pour_le_binome(espace_a, monde):
    jour = timezone.localdate() + timedelta(days=5)
    reunions = services.reunions_planifier(espace=espace_a, dates=[jour + timedelta(days=60), jour],
                                           par=monde.users["cadre_pole"])
    assert [r.date for r in reunions] == [jour, jour + timedelta(days=60)]
    ech = _echeances(reunions[0]).get()
    assert ech.regle.code == REGLE_REUNION
    assert ech.responsable == monde.users["psychiatre"]
    assert ech.pole_id == monde.pole_a.pk and ech.service_id == monde.service_a.pk
    assert timezone.localtime(ech.echeance).date() == jour + timedelta(days=15)


def test_planifier_est_atomique(espace_a, monde):
    jour = timezone.localdate() + timedelta(days=5)
    services.reunions_planifier(espace=espace_a, dates=[jour], par=monde.users["cadre_pole"])
    with pytest.raises(ValidationError, match="déjà prévue"):
        services.reunions_planifier(espace=espace_a, dates=[jour + timedelta(days=30), jour],
                                    par=monde.users["cadre_pole"])
    assert espace_a.reunions.count() == 1


def test_annuler_rend_l_echeance_sans_objet_et_exige_un_motif(reunions_a, monde):
    reunion = reunions_a[1]
    with pytest.raises(ValidationError):
        services.reunion_annuler(reunion=reunion, motif="  ", par=monde.users["cadre_pole"])
    services.reunion_annuler(reunion=reunion, motif="Visite de certification", par=monde.users["cadre_pole"])
    ech = _echeances(reunion).get()
    assert ech.sans_objet and "Visite de certification" in ech.motif_sans_objet


def test_valider_le_compte_rendu_satisfait_l_echeance(reunions_a, monde):
    reunion = reunions_a[0]
    r = services.compte_rendu_enregistrer(
        reunion=reunion, par=monde.users["cadre_pole"], compte_rendu="Revue des évènements.", valider=True,
        presences=[{"utilisateur": monde.users["psychiatre"]},
                   {"utilisateur": monde.users["cadre_pole"], "statut": PresenceReunion.Statut.EXCUSE},
                   {"nom": "Mme Patiente partenaire", "qualite": PresenceReunion.Qualite.PATIENT_PARTENAIRE}])
    assert r.statut == ReunionEspace.Statut.TENUE and r.compte_rendu_valide_par == monde.users["cadre_pole"]
    assert _echeances(reunion).get().satisfaite_le is not None
    assert r.presences.count() == 3
    with pytest.raises(ValidationError, match="validé"):
        services.element_ajouter(reunion=r, titre="Trop tard", resume="", par=monde.users["cadre_pole"])


def test_une_reunion_a_venir_ne_peut_pas_etre_validee(reunions_a, monde):
    with pytest.raises(ValidationError, match="à venir"):
        services.compte_rendu_enregistrer(reunion=reunions_a[1], par=monde.users["cadre_pole"], compte_rendu="x",
                                          presences=[], valider=True)
    assert not ReunionEspace.objects.get(pk=reunions_a[1].pk).compte_rendu_valide_le


def test_une_decision_devient_une_seule_action_du_service(reunions_a, monde):
    cadre = monde.users["cadre_pole"]
    decision = services.decision_ajouter(reunion=reunions_a[0], par=cadre, texte="Former l'équipe de nuit",
                                         responsable=cadre, echeance=timezone.localdate() + timedelta(days=90))
    action, creee = services.decision_ouvrir_action(decision=decision, par=cadre)
    encore, recreee = services.decision_ouvrir_action(decision=decision, par=cadre)
    assert creee and not recreee and encore.pk == action.pk
    assert ActionAmelioration.objects.filter(titre="Former l'équipe de nuit").count() == 1
    assert action.origine == ActionAmelioration.Origine.ESPACE
    assert (action.etablissement_id, action.pole_id, action.service_id) == (monde.etab_a.pk, monde.pole_a.pk,
                                                                            monde.service_a.pk)
    assert action.source == decision and action.responsable == cadre


def test_bilan_compte_en_sql(reunions_a, monde):
    cadre = monde.users["cadre_pole"]
    annee = reunions_a[0].date.year
    d = services.decision_ajouter(reunion=reunions_a[0], par=cadre, texte="Décision 1")
    action, _ = services.decision_ouvrir_action(decision=d, par=cadre)
    ActionAmelioration.objects.filter(pk=action.pk).update(statut=ActionAmelioration.Statut.REALISEE)
    services.decision_ajouter(reunion=reunions_a[0], par=cadre, texte="Décision 2 sans action")
    services.compte_rendu_enregistrer(reunion=reunions_a[0], par=cadre, compte_rendu="CR", valider=True,
                                      presences=[{"utilisateur": cadre}, {"utilisateur": monde.users["psychiatre"]}])
    b = selectors.bilan(espace=reunions_a[0].espace, annee=annee, user=cadre)
    memes_annee = sum(1 for r in reunions_a if r.date.year == annee)
    assert b["reunions"]["tenues"] == 1 and b["reunions"]["prevues"] == memes_annee
    assert b["presences"]["presents"] == 2 and b["presence_moyenne"] == 2.0
    assert b["decisions"] == 2
    assert b["actions"] == {"levees": 1, "realisees": 1, "en_retard": 0}


def test_presences_representants_compte_les_reunions_tenues(reunions_a, monde):
    ru = monde.users["representant_usagers"]
    cadre = monde.users["cadre_pole"]
    services.compte_rendu_enregistrer(reunion=reunions_a[0], par=cadre, compte_rendu="CR", valider=True,
                                      presences=[{"utilisateur": ru, "qualite": PresenceReunion.Qualite.REPRESENTANT},
                                                 {"utilisateur": cadre}])
    annee = reunions_a[0].date.year
    assert selectors.presences_representants(annee) == {ru.pk: 1}
    assert selectors.presences_representants(annee, etablissement_ids=[monde.etab_b.pk]) == {}
    assert selectors.presences_representants(annee - 1) == {}
