"""Demo risk map: a few families and risks of the first établissement, each scored twice (before and after
its actions), so the map has a history. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from qualite.organisation.models import Etablissement, Utilisateur
from qualite.risques import domaines, services
from qualite.risques.models import FamilleRisque, Risque, RisqueEvenement

FAMILLES = {
    "Chutes": ["Chute"],
    "Prise en charge médicamenteuse": ["Médicament"],
    "Identitovigilance": ["Identitovigilance"],
    "Infections associées aux soins": ["Infection associée aux soins"],
}

# titre, famille, processus, barrières, (f, g, m) il y a 8 mois, (f, g, m) il y a 1 mois
RISQUES = [
    ("Chute d'un patient âgé la nuit", "Chutes", "Parcours du patient",
     "Évaluation du risque de chute à l'entrée ; lits bas ; veilleuses.", (4, 3, 2), (3, 3, 3)),
    ("Erreur de dose d'un anticoagulant", "Prise en charge médicamenteuse", "Prise en charge médicamenteuse",
     "Double vérification des injectables à risque ; prescription informatisée.", (3, 5, 1), (3, 5, 2)),
    ("Erreur d'identité au bloc opératoire", "Identitovigilance", "Parcours du patient",
     "Bracelet d'identification ; check-list HAS au bloc.", (2, 5, 2), (2, 5, 3)),
    ("Infection de site opératoire", "Infections associées aux soins", "Bloc opératoire",
     "Préparation cutanée ; antibioprophylaxie protocolisée.", (2, 4, 2), (2, 4, 2)),
    ("Retranscription d'une prescription", "Prise en charge médicamenteuse", "Prise en charge médicamenteuse",
     "", (4, 3, 1), (2, 3, 3)),
]


def charger_demo():
    etab = Etablissement.objects.filter(nom="Centre hospitalier de Valmont").first()
    if etab is None or Risque.objects.filter(etablissement=etab, titre=RISQUES[0][0]).exists():
        return
    gestionnaire = Utilisateur.objects.get(username="qualiticien")
    types = {t.libelle: t for t in domaines.TypeEvenement().objects.all()}
    familles = {}
    for libelle, noms_types in FAMILLES.items():
        familles[libelle], _ = FamilleRisque.objects.get_or_create(etablissement=etab, libelle=libelle,
                                                                   defaults={"created_by": gestionnaire})
        familles[libelle].types_evenement.add(*[types[n] for n in noms_types if n in types])
    Processus = domaines.Processus()
    aujourd_hui = timezone.localdate()
    for titre, famille, nom_processus, barrieres, avant, apres in RISQUES:
        processus, _ = Processus.objects.get_or_create(etablissement=etab, nom=nom_processus)
        risque = services.risque_enregistrer(par=gestionnaire, donnees={
            "etablissement": etab, "titre": titre, "famille": familles[famille], "processus": processus,
            "pilote": gestionnaire, "barrieres": barrieres})
        for jours, (f, g, m) in ((240, avant), (30, apres)):
            services.risque_coter(risque=risque, par=gestionnaire, date=aujourd_hui - timedelta(days=jours),
                                  frequence=f, gravite=g, maitrise=m,
                                  commentaire="Cotation initiale" if jours == 240 else "Après les actions")
    services.suggestions_actualiser(user=gestionnaire, etablissements=frozenset({etab.pk}))
    # The fall of the demo events realised the first risk: confirmed, so its page shows an event over time.
    for lien in RisqueEvenement.objects.filter(risque__titre=RISQUES[0][0], risque__etablissement=etab):
        services.evenement_decider(lien=lien, par=gestionnaire, confirmer=True)
