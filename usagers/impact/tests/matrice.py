"""Impact campaigns and bientraitance self-assessments for the leak matrix
(qualite/organisation/tests/test_matrice_acces.py): one of each per target (A, B; A2 for the services),
with the matrix's markers, created inside each case by the entries' kwargs."""

from __future__ import annotations

from datetime import date

MARQUES = {"A": "PROPRE-A-", "A2": "FUITE-POLE-", "B": "FUITE-B-"}


def preparer(jeu) -> dict:
    from usagers.impact import referentiels
    from usagers.impact.models import CampagneBientraitance, CampagneImpact, Grille, ReponseBientraitance
    from usagers.relations.models import MembreCDU

    if ("campagne_impact", "A") in jeu.objets and CampagneImpact.objects.filter(pk=jeu.objets["campagne_impact", "A"].pk).exists():
        return {}
    referentiels.synchroniser()
    m = jeu.monde
    impact, bt = Grille.objects.get(type="impact"), Grille.objects.get(type="bientraitance")
    ru = jeu.users["representant_usagers"]
    for cible, etab in (("A", m.etab_a), ("B", m.etab_b)):
        membre = MembreCDU.objects.create(
            etablissement=etab, nom=f"{MARQUES[cible]}RU", role=MembreCDU.Role.RU_TITULAIRE, debut_mandat=date(2025, 1, 1),
            fin_mandat=date(2028, 1, 1), utilisateur=ru if cible == "A" else None)
        c = CampagneImpact.objects.create(etablissement=etab, titre=f"{MARQUES[cible]}IMPACT", grille=impact,
                                          avant_le=date(2025, 1, 15), apres_le=date(2026, 1, 15))
        c.cohorte.set([membre])
        jeu.objets["campagne_impact", cible] = c
    for cible, service in (("A", m.service_a), ("A2", m.service_a2), ("B", m.service_b)):
        c = CampagneBientraitance.objects.create(
            etablissement=service.pole.etablissement, service=service, annee=2026, grille=bt,
            participants=f"{MARQUES[cible]}EQUIPE")
        item = bt.themes.first().items.first()
        ReponseBientraitance.objects.create(campagne=c, item=item, valeur=0)
        jeu.objets["bientraitance", cible] = c
    return {}


def pk_campagne(jeu, cible) -> dict:
    preparer(jeu)
    return {"pk": jeu.objets["campagne_impact", cible].pk}


def pk_bientraitance(jeu, cible) -> dict:
    preparer(jeu)
    return {"pk": jeu.objets["bientraitance", cible].pk}


def pk_action(jeu, cible) -> dict:
    preparer(jeu)
    c = jeu.objets["bientraitance", cible]
    return {"pk": c.pk, "theme_pk": c.grille.themes.first().pk}
