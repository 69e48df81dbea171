"""The agenda holds the service's real events, late actions, complaints and indicators since the previous
meeting — anonymised, read with each register's own access rules — and nothing from another service."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evenements.models import EvenementIndesirable
from evenements.tests.factories import EvenementFactory
from qualite.espaces import services
from qualite.paqss.models import ActionAmelioration
from usagers.relations.models import Reclamation

pytestmark = pytest.mark.django_db


def _evenement(service, reference, **kwargs):
    return EvenementFactory(service=service, reference=reference, description=f"{reference} DESCRIPTION-NOMINATIVE",
                            lieu=f"{reference} LIEU", resume_anonymise=f"{reference} résumé anonyme", **kwargs)


def _action(monde, service, titre, jours, statut=ActionAmelioration.Statut.EN_COURS):
    return ActionAmelioration.objects.create(
        titre=titre, origine=ActionAmelioration.Origine.AXE, etablissement=service.pole.etablissement,
        pole=service.pole, service=service, statut=statut, echeance=timezone.localdate() + timedelta(days=jours))


def _reclamation(service, reference, resume, recue_le):
    r = Reclamation.objects.create(
        reference=reference, etablissement=service.pole.etablissement, nature="reclamation", canal="courrier",
        categories=["soins"], auteur_nom=f"{reference} AUTEUR-NOMINATIF", lien_patient="fils",
        patient_nom=f"{reference} PATIENT-NOMINATIF", objet=f"{reference} OBJET", resume_anonymise=resume,
        resume_valide=True, recue_le=recue_le)
    r.services.set([service])
    return r


@pytest.fixture
def registres(monde):
    hier = timezone.now() - timedelta(days=1)
    _evenement(monde.service_a, "EI-A-NOUVEAU")
    clos = _evenement(monde.service_a, "EI-A-CLOS")
    EvenementIndesirable.objects.filter(pk=clos.pk).update(created_at=hier - timedelta(days=100), statut="cloture",
                                                           cloture_le=hier)
    ancien = _evenement(monde.service_a, "EI-A-ANCIEN")
    EvenementIndesirable.objects.filter(pk=ancien.pk).update(created_at=hier - timedelta(days=100))
    _evenement(monde.service_a2, "EI-AUTRE-POLE")
    _evenement(monde.service_b, "EI-AUTRE-ETAB")
    _action(monde, monde.service_a, "ACTION-A-EN-RETARD", -20)
    _action(monde, monde.service_a, "ACTION-A-DUE", 20)
    _action(monde, monde.service_a, "ACTION-A-LOINTAINE", 200)
    _action(monde, monde.service_a, "ACTION-A-REALISEE", -20, ActionAmelioration.Statut.REALISEE)
    _action(monde, monde.service_a2, "ACTION-AUTRE-POLE", -20)
    _action(monde, monde.service_b, "ACTION-AUTRE-ETAB", -20)
    _reclamation(monde.service_a, "REC-A", "Attente trop longue aux urgences", timezone.localdate() - timedelta(days=3))
    _reclamation(monde.service_a2, "REC-AUTRE", "RECLAMATION-AUTRE-SERVICE", timezone.localdate() - timedelta(days=3))
    from certification.models import ValeurIndicateur
    from certification.tests.factories import IndicateurFactory

    ind = IndicateurFactory(libelle="Traçabilité de la douleur", unite="%", cible=80)
    for service, valeur in ((monde.service_a, 72), (monde.service_a2, 11), (monde.service_b, 12)):
        ValeurIndicateur.objects.create(indicateur=ind, etablissement=service.pole.etablissement, service=service,
                                        periode=timezone.localdate().replace(day=1) - timedelta(days=1), valeur=valeur)


def _texte(reunion):
    return " ".join(f"{e.titre} {e.resume}" for e in reunion.elements.all())


def test_l_ordre_du_jour_contient_le_service_et_rien_d_autre(espace_a, monde, registres):
    aujourd_hui = timezone.localdate()
    services.reunions_planifier(espace=espace_a, dates=[aujourd_hui - timedelta(days=40)], par=monde.users["cadre_pole"])
    prochaine = services.reunions_planifier(espace=espace_a, dates=[aujourd_hui + timedelta(days=2)],
                                            par=monde.users["cadre_pole"])[0]
    n = services.ordre_du_jour_construire(reunion=prochaine, par=monde.users["cadre_pole"])
    texte = _texte(prochaine)
    assert n == prochaine.elements.count()
    for attendu in ("EI-A-NOUVEAU", "EI-A-NOUVEAU résumé anonyme", "Clôturé : évènement EI-A-CLOS",
                    "En retard : ACTION-A-EN-RETARD", "Due : ACTION-A-DUE", "Attente trop longue aux urgences",
                    "Traçabilité de la douleur (Cardiologie A)", "72 % pour la période", "cible 80 % : non atteinte"):
        assert attendu in texte, attendu
    for absent in ("EI-A-ANCIEN", "EI-AUTRE-POLE", "EI-AUTRE-ETAB", "ACTION-A-LOINTAINE", "ACTION-A-REALISEE",
                   "ACTION-AUTRE", "RECLAMATION-AUTRE-SERVICE", "11 %", "12 %"):
        assert absent not in texte, absent
    # anonymised: nothing nominative from the events or the complaints
    for nominatif in ("DESCRIPTION-NOMINATIVE", "LIEU", "AUTEUR-NOMINATIF", "PATIENT-NOMINATIF", "OBJET"):
        assert nominatif not in texte, nominatif


def test_chaque_registre_garde_sa_regle_d_acces(espace_a, monde, registres):
    """Built by the unit's psychiatrist, who may not read other people's events (evenements.voir) nor the PAQSS:
    the agenda holds none of them; the complaints about the service he runs, anonymised, are there."""
    reunion = services.reunions_planifier(espace=espace_a, dates=[timezone.localdate()], par=monde.users["psychiatre"])[0]
    services.ordre_du_jour_construire(reunion=reunion, par=monde.users["psychiatre"])
    texte = _texte(reunion)
    assert "EI-A-NOUVEAU" not in texte and "ACTION-A-EN-RETARD" not in texte
    assert "Attente trop longue" in texte and "AUTEUR-NOMINATIF" not in texte


def test_reconstruire_n_ajoute_ni_doublon_ni_point_retire(espace_a, monde, registres):
    cadre = monde.users["cadre_pole"]
    reunion = services.reunions_planifier(espace=espace_a, dates=[timezone.localdate()], par=cadre)[0]
    n = services.ordre_du_jour_construire(reunion=reunion, par=cadre)
    retire = reunion.elements.get(titre__contains="ACTION-A-DUE")
    services.element_retirer(element=retire, par=cadre)
    assert services.ordre_du_jour_construire(reunion=reunion, par=cadre) == 0
    assert reunion.elements.count() == n
    assert reunion.elements.filter(retire_le__isnull=False).get() == retire


def test_la_periode_part_de_la_reunion_precedente(espace_a, monde):
    cadre = monde.users["cadre_pole"]
    r1, r2 = services.reunions_planifier(espace=espace_a, dates=[date(2026, 3, 1), date(2026, 6, 1)], par=cadre)
    assert services.periode_de(r2) == (date(2026, 3, 1), date(2026, 6, 1))
    assert services.periode_de(r1) == (date(2025, 3, 1), date(2026, 3, 1))
    services.reunion_annuler(reunion=r1, motif="Grève", par=cadre)
    assert services.periode_de(r2)[0] == date(2025, 6, 1)


def test_un_succes_saisi_figure_a_l_ordre_du_jour(espace_a, monde):
    cadre = monde.users["cadre_pole"]
    services.succes_enregistrer(espace=espace_a, par=cadre, date=timezone.localdate() - timedelta(days=1),
                                titre="Zéro chute ce mois-ci")
    reunion = services.reunions_planifier(espace=espace_a, dates=[timezone.localdate()], par=cadre)[0]
    services.ordre_du_jour_construire(reunion=reunion, par=cadre)
    assert reunion.elements.filter(source="succes", titre="Zéro chute ce mois-ci").exists()
