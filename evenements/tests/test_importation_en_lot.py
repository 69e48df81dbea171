"""Bulk import: the same records, history, audit trail and deadlines as the row-by-row import."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evenements.models import EvenementIndesirable, TransitionEvenement
from evenements.tests.factories import EvenementFactory
from qualite.organisation.models import AuditEntry
from qualite.outils import importation
from qualite.outils.tests.instantane import essai, instantane

ENTETE = "Référence;Survenu le;Établissement;Service;Type;Personnes concernées;Description;Gravité estimée;Gravité;Vraisemblance"


def _fichier(n: int, existant=None) -> bytes:
    debut = timezone.localtime() - timedelta(days=30)
    lignes = [ENTETE]
    for i in range(n):
        service = "Cardiologie A" if i % 2 else "Orthopédie A"
        lignes.append(f";{debut + timedelta(hours=i):%d/%m/%Y %H:%M};CH A;{service};Chute;Patient | Visiteur;"
                      f"\"Évènement {i} ; « cité »\";{i % 5 + 1};{'' if i % 3 else 4};{'' if i % 3 else 2}")
    if existant is not None:
        lignes.append(f"{existant.reference};{timezone.localtime(existant.survenu_le):%d/%m/%Y %H:%M};CH A;"
                      "Cardiologie A;Chute;Patient;Description corrigée;3;;")
    return ("\n".join(lignes) + "\n").encode("utf-8")


def _importer(contenu, user, *, en_lot):
    analyse = importation.analyser(importation.REGISTRES["evenements"], contenu, utilisateur=user, nom_fichier="lot.csv")
    assert analyse.valide, analyse.erreurs
    return importation.ecrire(analyse, utilisateur=user, en_lot=en_lot)


def _lire():
    return instantane(EvenementIndesirable, "reference", (TransitionEvenement, "evenement"))


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


def test_import_en_lot_et_ligne_a_ligne_ecrivent_la_meme_chose(monde, gestionnaire, monkeypatch):
    existant = EvenementFactory(service=monde.service_a, reference="EI-2020-00001")
    contenu = _fichier(25, existant)
    monkeypatch.setattr(importation.ecriture, "LOT", 7)  # several batches, the last one incomplete
    bilan_ligne, ligne = essai(_importer, contenu, gestionnaire, en_lot=False, lire=_lire)
    bilan_lot, lot = essai(_importer, contenu, gestionnaire, en_lot=True, lire=_lire)
    assert bilan_ligne.erreurs == bilan_lot.erreurs == []
    assert (bilan_lot.crees, bilan_lot.modifies) == (bilan_ligne.crees, bilan_ligne.modifies) == (25, 1)
    assert len(lot["lignes"]) == 26 and len(lot["TransitionEvenement"]) == 25
    assert len([h for h in lot["historique"] if h[1] == "insert"]) == 26  # the factory's one, then 25 imported
    assert len(lot["audit"]) == 26
    for partie in ("lignes", "TransitionEvenement", "historique", "audit", "echeances"):
        assert lot[partie] == ligne[partie], partie


def test_une_ligne_refusee_par_une_regle_n_ecrit_rien_et_nomme_sa_ligne(monde, gestionnaire):
    futur = timezone.localtime() + timedelta(days=3)
    contenu = _fichier(4).decode().rstrip("\n") + (f"\n;{futur:%d/%m/%Y %H:%M};CH A;Cardiologie A;Chute;Patient;Futur;2;;\n")
    avant = (EvenementIndesirable.objects.count(), TransitionEvenement.objects.count(), AuditEntry.objects.count())
    bilan = _importer(contenu.encode(), gestionnaire, en_lot=True)
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(6, "Survenu le")]
    assert (EvenementIndesirable.objects.count(), TransitionEvenement.objects.count(), AuditEntry.objects.count()) == avant
