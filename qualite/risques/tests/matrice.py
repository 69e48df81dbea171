"""Data of the risk map for the leak matrix (qualite/organisation/tests/test_matrice_acces.py).

The matrix builds its world once; each case runs in its own rolled-back transaction. The risks are
therefore (re)created on demand, inside the case, by the entries' `kwargs`: one risk per target (A, A2, B)
with the matrix's markers, a scoring, a suggested link to its target's event, and a link planted by hand
from risk A to the other établissement's event (the risk's page must never list it)."""

from __future__ import annotations

from datetime import date


def preparer(jeu) -> dict:
    from qualite.risques.models import Cotation, FamilleRisque, Risque, RisqueEvenement

    m = jeu.monde
    marques = {"A": "PROPRE-A-", "A2": "FUITE-POLE-", "B": "FUITE-B-"}
    places = {"A": (m.etab_a, m.pole_a), "A2": (m.etab_a, m.pole_a2), "B": (m.etab_b, m.pole_b)}
    for cible, (etab, pole) in places.items():
        marque = marques[cible]
        famille, _ = FamilleRisque.objects.get_or_create(etablissement=etab, libelle=f"{marque}FAMILLE")
        risque, cree = Risque.objects.get_or_create(
            titre=f"{marque}RISQUE", defaults={"etablissement": etab, "pole": pole, "famille": famille,
                                               "barrieres": f"{marque}BARRIERES"})
        if cree:
            Cotation.objects.create(risque=risque, date=date(2026, 1, 5), frequence=3, gravite=4, maitrise=2,
                                    poids_maitrise="0.75", commentaire=f"{marque}COTATION")
            lien = RisqueEvenement.objects.create(risque=risque, evenement=jeu.objets["ev", cible],
                                                  motif=f"{marque}MOTIF")
            jeu.objets["lien_risque", cible] = lien
        jeu.objets["risque", cible] = risque
        jeu.objets["famille_risque", cible] = famille
    a = jeu.objets["risque", "A"]
    RisqueEvenement.objects.get_or_create(risque=a, evenement=jeu.objets["ev", "B"],
                                          defaults={"motif": "FUITE-B-MOTIF"})
    return {}


def pk_risque(jeu, cible) -> dict:
    preparer(jeu)
    return {"pk": jeu.objets["risque", cible].pk}


def pk_lien(jeu, cible) -> dict:
    preparer(jeu)
    return {"pk": jeu.objets["risque", cible].pk, "lien_pk": jeu.objets["lien_risque", cible].pk}


def pk_famille(jeu, cible) -> dict:
    preparer(jeu)
    return {"pk": jeu.objets["famille_risque", cible].pk}
