"""Demo: the Cardiology meeting space, its year's calendar (one meeting held, with minutes and a decision
turned into an action) and a success to share. Idempotent."""

from datetime import date, timedelta

from django.utils import timezone

from qualite.espaces import services
from qualite.espaces.models import EspaceEchanges
from qualite.organisation.demo import MOT_DE_PASSE_DEMO
from qualite.organisation.models import Service, Utilisateur
from qualite.organisation.roles import Role

NOM = "Espace qualité et sécurité des soins — Cardiologie"


def _medecin(etablissement, cardiologie) -> Utilisateur:
    """The doctor of the binôme: the pôle's medical head (a pôle role, like the cadre)."""
    medecin, cree = Utilisateur.objects.get_or_create(
        username="chef-pole-medecine",
        defaults={"first_name": "Rémi", "last_name": "Cardiologue", "email": "chef-pole-medecine@demo.invalid",
                  "roles": [Role.CADRE_POLE, Role.DECLARANT], "pole": cardiologie.pole, "service": cardiologie})
    if cree:
        # The demo accounts' shared password, hashed once by qualite/organisation/demo.py (PBKDF2 is slow on purpose).
        medecin.password = Utilisateur.objects.filter(username="cadre").values_list("password", flat=True).first()
        if not medecin.password:
            medecin.set_password(MOT_DE_PASSE_DEMO)
        medecin.save(update_fields=["password"])
        medecin.etablissements.set([etablissement])
    return medecin


def charger_demo():
    if EspaceEchanges.objects.filter(nom=NOM).exists():
        return
    qualiticien = Utilisateur.objects.get(username="qualiticien")
    cadre = Utilisateur.objects.get(username="cadre")
    etablissement = qualiticien.etablissements.first()
    cardiologie = Service.objects.filter(pole__etablissement=etablissement, nom="Cardiologie").first()
    if cardiologie is None:
        return
    medecin = _medecin(etablissement, cardiologie)
    espace = services.espace_enregistrer(
        par=qualiticien, donnees={"nom": NOM, "etablissement": etablissement, "pole": cardiologie.pole,
                                  "binome_medecin": medecin, "binome_cadre": cadre},
        services=[cardiologie], membres=[])
    aujourd_hui = timezone.localdate()
    jours = [aujourd_hui - timedelta(days=20)] + [aujourd_hui + timedelta(days=30 * i) for i in range(1, 4)]
    reunions = services.reunions_planifier(espace=espace, dates=jours, par=cadre)
    services.succes_enregistrer(espace=espace, par=cadre, date=aujourd_hui - timedelta(days=5),
                                titre="Zéro erreur d'identification au bloc ce trimestre")
    tenue = reunions[0]
    services.ordre_du_jour_construire(reunion=tenue, par=cadre)
    decision = services.decision_ajouter(reunion=tenue, par=cadre, texte="Former l'équipe de nuit à la check-list "
                                         "d'administration des anticoagulants", responsable=cadre,
                                         echeance=date(aujourd_hui.year, 12, 31))
    services.decision_ouvrir_action(decision=decision, par=cadre)
    services.compte_rendu_enregistrer(
        reunion=tenue, par=cadre, valider=True,
        compte_rendu="Revue des évènements du mois, du plan d'actions et des indicateurs du service.",
        presences=[{"utilisateur": medecin}, {"utilisateur": cadre},
                   {"nom": "Patiente partenaire de l'association des cardiaques", "qualite": "patient_partenaire"}])
