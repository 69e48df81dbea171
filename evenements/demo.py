"""Demo adverse events: a few in each state, one EIGS, so every page has something to show."""

from datetime import timedelta

from django.utils import timezone

from evenements import services
from evenements.models import EvenementIndesirable, Statut, TypeEvenement
from qualite.organisation.models import Service, Utilisateur

SCENARIOS = [
    ("Chute", "Chute d'un patient en se levant la nuit, sans appel malade à portée.", 2, None),
    ("Médicament", "Dose d'anticoagulant doublée à la suite d'une retranscription.", 3, Statut.PRIS_EN_CHARGE),
    ("Identitovigilance", "Bracelet d'identification absent à l'arrivée au bloc.", 2, Statut.CLOTURE),
    ("Organisation, parcours", "Retard de transfert faute de brancardier disponible.", 1, Statut.CLASSE_SANS_SUITE),
    ("Soins", "Arrêt cardiaque inattendu au décours d'une sédation en endoscopie.", 5, Statut.EN_ANALYSE),
]


def charger_demo():
    if EvenementIndesirable.objects.filter(description=SCENARIOS[0][1]).exists():
        return
    declarant = Utilisateur.objects.get(username="declarant")
    gestionnaire = Utilisateur.objects.get(username="qualiticien")
    service = declarant.service or Service.objects.first()
    for i, (type_, description, gravite, etat) in enumerate(SCENARIOS):
        ev = services.evenement_declarer(declarant=declarant, service=service, donnees={
            # an EIGS occurs before its part 1 is sent to the ARS (75 days ago, below)
            "survenu_le": timezone.now() - timedelta(days=77 if gravite == 5 and etat else 40 - 8 * i), "type": TypeEvenement.objects.get(libelle=type_),
            "description": description, "personnes": ["patient"], "gravite_estimee": gravite,
        })
        if etat is None:
            continue
        chemin = {
            Statut.PRIS_EN_CHARGE: [Statut.PRIS_EN_CHARGE],
            Statut.CLOTURE: [Statut.PRIS_EN_CHARGE, Statut.CLOTURE],
            Statut.CLASSE_SANS_SUITE: [Statut.CLASSE_SANS_SUITE],
            Statut.EN_ANALYSE: [Statut.PRIS_EN_CHARGE, Statut.EN_ANALYSE],
        }[etat]
        if gravite == 5:
            services.evenement_qualifier(evenement=ev, par=gestionnaire, donnees={
                "gravite": 5, "vraisemblance": 2, "inattendu": True, "mise_en_jeu_pronostic_vital": True,
                "est_eigs": True, "resume_anonymise": "Arrêt cardiaque inattendu pendant une sédation ; patient réanimé."})
            declaration = ev.declaration_ars
            services.declaration_ars_enregistrer(declaration=declaration, par=gestionnaire, donnees={
                "partie1_envoyee_le": timezone.now() - timedelta(days=75)})
        else:
            services.evenement_qualifier(evenement=ev, par=gestionnaire, donnees={"gravite": gravite, "vraisemblance": 3})
        if etat == Statut.CLOTURE:
            services.evenement_faire_retour(evenement=ev, par=gestionnaire,
                                      texte="Merci : la vérification du bracelet est ajoutée à la check-list d'entrée au bloc.")
        ev.refresh_from_db()
        for vers in chemin:
            if vers == ev.statut:  # the qualification has already taken the event over
                continue
            ev = services.evenement_changer_statut(evenement=ev, par=gestionnaire, vers=vers,
                                                   motif="Relève de la logistique, transmis au service concerné.")
