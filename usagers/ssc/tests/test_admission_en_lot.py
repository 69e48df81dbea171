"""Measures admitted in bulk (the generator's path): the same patients, measures, references, history and deadlines
as mesure_admettre one by one, and the same refusals."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualite.outils.tests.instantane import essai, instantane
from usagers.ssc import services
from usagers.ssc.models import MesureSoinsSansConsentement, PatientSSC


def _admissions(monde):
    maintenant = timezone.localtime().replace(second=0, microsecond=0)
    identite = {"nom": "Durand", "prenom": "Léa", "date_naissance": date(1990, 3, 2)}
    return [
        (monde.service_a, {"ipp": "LOT-1", **identite},
         {"mode": "sdt", "t0": maintenant - timedelta(days=3), "tiers_nom": "Marie Durand", "tiers_lien": "sœur"}),
        (monde.service_a, {"ipp": "LOT-2", **identite, "nom": "Martin"}, {"mode": "sdre", "t0": maintenant - timedelta(days=40)}),
        (monde.service_a, {"ipp": "LOT-1", **identite}, {"mode": "spi", "t0": maintenant - timedelta(hours=5)}),  # same patient
    ]


def _lire():
    ipp = {str(pk): i for pk, i in PatientSSC.objects.values_list("pk", "ipp")}

    def sans_id(ligne):  # the patient named by its IPP, the measure's page without its id
        return tuple(("patient", ipp[v]) if champ == "patient" else ("url", re.sub(r"/\d+/", "/…/", v))
                     if champ == "url" else (champ, v) for champ, v in ligne)

    mesures = instantane(MesureSoinsSansConsentement, "reference")
    mesures["lignes"] = sorted(sans_id(ligne) for ligne in mesures["lignes"])
    mesures["historique"] = sorted((cle, label, sans_id(ligne), ctx) for cle, label, ligne, ctx in mesures["historique"])
    mesures["echeances"] = sorted((ref, sans_id(ligne)) for ref, ligne in mesures["echeances"])
    return {"mesures": mesures, "patients": instantane(PatientSSC, "ipp")}


def test_admission_en_lot_egale_a_l_admission_une_a_une(monde):
    par = monde.users["bureau_admissions"]
    admissions = _admissions(monde)

    def une_a_une():
        return [services.mesure_admettre(par=par, service=s, patient=p, mesure=m) for s, p, m in admissions]

    refs_une, une = essai(une_a_une, lire=_lire)
    refs_lot, lot = essai(lambda: services.mesures_admettre_en_lot(par=par, admissions=admissions), lire=_lire)
    assert [m.reference for m in refs_lot] == [m.reference for m in refs_une]
    assert len(lot["patients"]["lignes"]) == 2 and lot["mesures"]["echeances"]
    for quoi in ("mesures", "patients"):
        for partie in ("lignes", "historique", "echeances"):
            assert lot[quoi][partie] == une[quoi][partie], (quoi, partie)


def test_admission_en_lot_refuse_l_ipp_d_un_autre_patient(monde, admettre):
    admettre("sdt", ipp="LOT-1")  # Durand Léa, born 02/03/1990
    service, patient, mesure = _admissions(monde)[1]
    with pytest.raises(ValidationError, match="autre patient"):
        services.mesures_admettre_en_lot(par=monde.users["bureau_admissions"],
                                         admissions=[(service, {**patient, "ipp": "LOT-1"}, mesure)])
    assert MesureSoinsSansConsentement.objects.count() == 1
