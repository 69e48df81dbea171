"""Certification visits for the leak matrix (qualite/organisation/tests/test_matrice_acces.py): one visit
per établissement (A, B) with the matrix's markers, (re)created inside each case by the entries' kwargs."""

from __future__ import annotations

from datetime import date


def preparer(jeu) -> dict:
    from certification.models import ConstatVisite, VisiteCertification

    critere = jeu.objets["critere", "A"]
    m = jeu.monde
    for cible, etab, marque in (("A", m.etab_a, "PROPRE-A-"), ("B", m.etab_b, "FUITE-B-")):
        visite, cree = VisiteCertification.objects.get_or_create(
            etablissement=etab, experts=f"{marque}EXPERTS",
            defaults={"referentiel": critere.referentiel, "date_debut": date(2026, 5, 4), "date_fin": date(2026, 5, 7)})
        if cree:
            ConstatVisite.objects.create(visite=visite, critere=critere, appreciation="partiel", constat=f"{marque}CONSTAT")
        jeu.objets["visite", cible] = visite
    return {}


def pk_visite(jeu, cible) -> dict:
    preparer(jeu)
    return {"pk": jeu.objets["visite", cible].pk}


def pk_processus(jeu, cible) -> dict:
    """One process per établissement (A, B) with the markers, edited through the register pages."""
    from certification.models import Processus

    m = jeu.monde
    for c, etab, marque in (("A", m.etab_a, "PROPRE-A-"), ("B", m.etab_b, "FUITE-B-")):
        jeu.objets["processus_cert", c], _ = Processus.objects.get_or_create(etablissement=etab, nom=f"{marque}PROCESSUS")
    return {"code": "processus", "pk": jeu.objets["processus_cert", cible].pk}
