from django.apps import AppConfig


class EvenementsConfig(AppConfig):
    name = "evenements"
    verbose_name = "Évènements indésirables"

    def ready(self):
        from .chiffres import enregistrer_chiffres

        enregistrer_chiffres()
        from qualite import importation

        from .importation import REGISTRE

        importation.enregistrer(REGISTRE)
        from qualite import audit

        from .access import LIBELLE_DECLARANT_MASQUE, declarations_masquees

        audit.enregistrer_auteur_masque(audit.AuteurMasque(
            "evenements.EvenementIndesirable", "created_by", declarations_masquees, LIBELLE_DECLARANT_MASQUE))
        from qualite import demo
        from qualite.navigation import Entree, enregistrer

        from .demo import charger_demo

        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)

        enregistrer(Entree("Évènements indésirables", "Déclarer un évènement", "evenements:declarer",
                           "evenements.declarer", "En deux minutes, depuis n'importe quel poste.", 1))
        enregistrer(Entree("Évènements indésirables", "Mes déclarations", "evenements:mes_declarations",
                           "evenements.declarer", "Ce que sont devenues vos déclarations et les retours reçus.", 2))
        enregistrer(Entree("Évènements indésirables", "Registre des évènements", "evenements:liste",
                           "evenements.voir", "Filtrer, qualifier, analyser, exporter, dans votre périmètre.", 20))
        enregistrer(Entree("Évènements indésirables", "Statistiques anonymisées", "evenements:statistiques",
                           "evenements.statistiques_anonymes", "Matrice de criticité, évolution mensuelle, retours.", 30))
        enregistrer(Entree("Évènements indésirables", "RMM, CREX, REMED", "evenements:revues",
                           "evenements.gerer", "Séances de retour d'expérience.", 40))
