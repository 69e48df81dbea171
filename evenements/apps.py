from django.apps import AppConfig


class EvenementsConfig(AppConfig):
    name = "evenements"
    verbose_name = "Évènements indésirables"

    def ready(self):
        from evenements.a_traiter import enregistrer_a_traiter

        enregistrer_a_traiter()
        from evenements.pieces import enregistrer_pieces

        enregistrer_pieces()
        from evenements.models import (
            AnalyseApprofondie,
            DeclarationARS,
            EvenementIndesirable,
            MatriceCriticite,
            TypeEvenement,
        )
        from qualite.outils import registres

        registres.suivre(AnalyseApprofondie, DeclarationARS)  # « À traiter » counts analyses and ARS sendings due

        registres.suivre(EvenementIndesirable)  # the list's cached count and caches follow this register
        registres.suivre(TypeEvenement)  # the filter's cached choice list follows it
        registres.suivre(MatriceCriticite)  # kept pages colour their rows by its zones (cache_pages)
        from evenements.espaces import enregistrer_source

        enregistrer_source()
        from evenements.api import EvenementViewSet
        from qualite.api import registre as api

        api.enregistrer("evenements", EvenementViewSet, "evenement")
        from evenements.chiffres import enregistrer_chiffres

        enregistrer_chiffres()
        from evenements.importation import REGISTRE
        from qualite.outils import importation

        importation.enregistrer(REGISTRE)
        from evenements.models import DeclarationARS
        from evenements.services import _synchroniser_echeances_ars
        from qualite.echeances.moteur import recalcul_enregistrer

        recalcul_enregistrer(DeclarationARS, _synchroniser_echeances_ars)
        from evenements.access import LIBELLE_DECLARANT_MASQUE, declarations_masquees
        from qualite.organisation import audit

        audit.enregistrer_auteur_masque(audit.AuteurMasque(
            "evenements.EvenementIndesirable", "created_by", declarations_masquees, LIBELLE_DECLARANT_MASQUE))
        from evenements import referentiels as referentiels_evenements
        from qualite.echeances import referentiels
        from qualite.organisation import demo
        from qualite.organisation.navigation import Entree, enregistrer

        referentiels.enregistrer(referentiels_evenements.synchroniser)

        from evenements.demo import charger_demo, charger_historique

        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        demo.enregistrer_historique("EI", charger_historique)

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
