"""Demo actions of the programme from the policy axes (seed 000: seven strategic axes), carried by the
direction and by the cadre de pôle: what each of them finds due in « À traiter » (a few soon, one late).
Idempotent: each action is found by its title."""

from datetime import timedelta

from django.utils import timezone

from qualite.organisation.models import Utilisateur
from qualite.paqss import services
from qualite.paqss.models import ActionAmelioration

# titre, axe (description), responsable, in his pôle, deadline in days from today (negative: late), under way
ACTIONS = [
    ("Présenter le bilan du programme d'actions à la CME et à la CDU",
     "Axe 1 — pérenniser la démarche qualité au-delà des visites de certification", "direction", False, 9, True),
    ("Nommer les pilotes des processus restés sans binôme",
     "Axe 2 — décloisonner les pôles par une démarche transversale", "direction", False, -4, True),
    ("Signer la charte qualité du GHT avec les directions partenaires",
     "Axe 4 — mettre en œuvre la politique qualité du GHT", "direction", False, 40, False),
    ("Installer l'espace d'échanges qualité dans chaque service du pôle",
     "Axe 3 — un management par la qualité au niveau des pôles", "cadre", True, 12, True),
    ("Former les équipes de nuit à la prévention des chutes",
     "Axe 6 — prévenir les risques associés aux soins", "cadre", True, -2, True),
    ("Mettre à jour le document unique des risques professionnels du pôle",
     "Axe 5 — prévenir les risques professionnels", "cadre", True, 60, False),
]


def charger_demo():
    deja = set(ActionAmelioration.objects.filter(titre__in=[a[0] for a in ACTIONS]).values_list("titre", flat=True))
    if len(deja) == len(ACTIONS):
        return
    qualiticien = Utilisateur.objects.get(username="qualiticien")
    aujourdhui = timezone.localdate()
    for titre, axe, login, du_pole, jours, en_cours in ACTIONS:
        if titre in deja:
            continue
        responsable = Utilisateur.objects.get(username=login)
        action = services.action_creer(
            titre=titre, description=axe, origine=ActionAmelioration.Origine.AXE, source=None,
            etablissement_id=qualiticien.etablissements.values_list("id", flat=True).first(), par=qualiticien,
            pole_id=responsable.pole_id if du_pole else None, responsable=responsable,
            echeance=aujourdhui + timedelta(days=jours))
        if en_cours:
            services.action_changer_statut(action=action, par=responsable, vers=ActionAmelioration.Statut.EN_COURS)
