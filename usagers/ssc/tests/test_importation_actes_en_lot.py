"""SSC records imported in bulk: the same records, history, audit and legal deadlines as row by row, the
calendar recalculated once per measure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qualite.outils import importation
from qualite.outils.tests.instantane import essai, instantane
from usagers.ssc import services
from usagers.ssc.models import ActeMesure, MesureSoinsSansConsentement

ENTETE = "Référence;Mesure;Type;Date et heure;Auteur;Psychiatre de l'établissement;Conclusion;Forme;Commentaire\n"


def _t0(jours):
    return (timezone.localtime() - timedelta(days=jours)).replace(hour=14, minute=30, second=0, microsecond=0)


def _ligne(m, type_, delta, auteur="Dr Psy Un", psy="oui", conclusion="", forme=""):
    return f";{m.reference};{type_};{timezone.localtime(m.t0 + delta):%d/%m/%Y %H:%M};{auteur};{psy};{conclusion};{forme};\n"


def _fichier(m1, m2):
    return (ENTETE
            + _ligne(m1, "Certificat de 24 heures", timedelta(hours=20), conclusion="maintien")
            + _ligne(m2, "Certificat de 24 heures", timedelta(hours=22), conclusion="maintien")
            + _ligne(m1, "Certificat de 72 heures", timedelta(hours=70), auteur="Dr Psy Deux", conclusion="maintien", forme="hc")
            + _ligne(m1, "Certificat mensuel", timedelta(days=25), conclusion="maintien")
            + _ligne(m2, "Certificat de 72 heures", timedelta(hours=71), auteur="Dr Psy Deux", conclusion="fin", forme="")
            ).encode()


def _cle_acte(a):
    return (a.mesure.reference, a.type, a.date_heure)


def _importer(contenu, user, *, en_lot):
    analyse = importation.analyser(importation.REGISTRES["actes_ssc"], contenu, utilisateur=user, nom_fichier="actes.csv")
    assert analyse.valide, analyse.erreurs
    return importation.ecrire(analyse, utilisateur=user, en_lot=en_lot)


def _lire():
    return {"mesures": instantane(MesureSoinsSansConsentement, "reference"), "actes": instantane(ActeMesure, _cle_acte)}


@pytest.fixture
def bureau(monde):
    return monde.users["bureau_admissions"]


def test_actes_en_lot_et_ligne_a_ligne_ecrivent_la_meme_chose(monde, admettre, bureau, monkeypatch):
    m1, m2 = admettre("sdt", t0=_t0(40)), admettre("sdt", t0=_t0(30), ipp="IPP-2")
    contenu = _fichier(m1, m2)
    bilan_ligne, ligne = essai(_importer, contenu, bureau, en_lot=False, lire=_lire)
    calculs = []
    reel = services.mesures_recalculer
    monkeypatch.setattr(services, "mesures_recalculer",
                        lambda mesures, **kw: (calculs.extend(m.pk for m in mesures), reel(mesures, **kw)))
    bilan_lot, lot = essai(_importer, contenu, bureau, en_lot=True, lire=_lire)
    assert bilan_ligne.erreurs == bilan_lot.erreurs == [] and bilan_lot.crees == bilan_ligne.crees == 5
    assert sorted(calculs) == sorted([m1.pk, m2.pk])  # once per measure, not per record
    assert len(lot["actes"]["lignes"]) == 5 and len(lot["actes"]["audit"]) == 5
    assert lot["mesures"]["echeances"], "the calendar has deadlines to compare"
    for quoi in ("mesures", "actes"):
        for partie in ("lignes", "historique", "audit", "echeances"):
            assert lot[quoi][partie] == ligne[quoi][partie], (quoi, partie)


def test_un_acte_refuse_nomme_sa_ligne_et_rien_n_est_ecrit(monde, admettre, bureau):
    m1 = admettre("sdt", t0=_t0(40))
    contenu = (ENTETE + _ligne(m1, "Certificat de 72 heures", timedelta(hours=70), conclusion="maintien", forme="hc")
               + _ligne(m1, "Certificat de 24 heures", timedelta(hours=80), conclusion="maintien")).encode()
    bilan = _importer(contenu, bureau, en_lot=True)
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(3, "Date et heure")]
    assert not ActeMesure.objects.exists()
