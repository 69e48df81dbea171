"""Data of the meeting spaces for the leak matrix (qualite/organisation/tests/test_matrice_acces.py): one space
per target (A, A2, B) with the matrix's markers, a held meeting with an agenda item, attendance, minutes and a
decision — (re)created inside each case's rolled-back transaction, like qualite/risques/tests/matrice.py."""

from __future__ import annotations

from datetime import date

MARQUES = {"A": "PROPRE-A-", "A2": "FUITE-POLE-", "B": "FUITE-B-"}


def preparer(jeu) -> dict:
    from qualite.espaces.models import (
        DecisionReunion,
        ElementOrdreDuJour,
        EspaceEchanges,
        PresenceReunion,
        ReunionEspace,
    )
    from qualite.organisation.tests.factories import UtilisateurFactory

    m = jeu.monde
    places = {"A": (m.etab_a, m.service_a), "A2": (m.etab_a, m.service_a2), "B": (m.etab_b, m.service_b)}
    for cible, (etab, service) in places.items():
        marque = MARQUES[cible]
        espace = EspaceEchanges.objects.filter(nom=f"{marque}ESPACE").first()
        if espace is None:
            medecin = UtilisateurFactory(last_name=f"{marque}MEDECIN", etablissements=[etab], roles=["psychiatre"],
                                         pole=service.pole, service=service)
            cadre = UtilisateurFactory(last_name=f"{marque}CADRE", etablissements=[etab], roles=["cadre_pole"],
                                       pole=service.pole)
            espace = EspaceEchanges.objects.create(nom=f"{marque}ESPACE", etablissement=etab, pole=service.pole,
                                                   binome_medecin=medecin, binome_cadre=cadre)
            espace.services.set([service])
            reunion = ReunionEspace.objects.create(espace=espace, date=date(2026, 3, 5), statut="tenue",
                                                   compte_rendu=f"{marque}COMPTE-RENDU")
            ElementOrdreDuJour.objects.create(reunion=reunion, source="libre", titre=f"{marque}POINT")
            PresenceReunion.objects.create(reunion=reunion, nom=f"{marque}INVITE", qualite="patient_partenaire")
            ReunionEspace.objects.create(espace=espace, date=date(2026, 12, 20))
            DecisionReunion.objects.create(reunion=reunion, texte=f"{marque}DECISION")
        reunion = espace.reunions.order_by("date").first()
        jeu.objets["espace", cible] = espace
        jeu.objets["reunion", cible] = reunion
        jeu.objets["reunion_prevue", cible] = espace.reunions.order_by("date").last()
        jeu.objets["element_odj", cible] = reunion.elements.get()
        jeu.objets["decision", cible] = reunion.decisions.get()
    return {}


def pk_de(type_):
    def kwargs(jeu, cible) -> dict:
        preparer(jeu)
        return {"pk": jeu.objets[type_, cible].pk}

    return kwargs
