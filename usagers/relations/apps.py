from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "usagers.relations"
    label = "relations_usagers"  # "relations" would give two history triggers the same Postgres name
    verbose_name = "Relations avec les usagers"

    def ready(self):
        from usagers.relations.a_traiter import enregistrer_a_traiter

        enregistrer_a_traiter()
        from qualite.api import registre as api
        from usagers.relations.api import DemandeDossierViewSet, ReclamationViewSet

        api.enregistrer("reclamations", ReclamationViewSet, "reclamation")
        api.enregistrer("demandes-dossier", DemandeDossierViewSet, "demande_dossier")
        from qualite.echeances import referentiels
        from qualite.organisation import demo
        from qualite.organisation.navigation import Entree, enregistrer
        from qualite.outils import importation
        from usagers.relations import referentiels as referentiels_relations
        from usagers.relations.chiffres import enregistrer_chiffres
        from usagers.relations.demo import charger_demo, charger_historique
        from usagers.relations.importation import DOSSIERS, RECLAMATIONS, SEANCES_CDU
        from usagers.relations.pieces import enregistrer_pieces

        enregistrer_chiffres()
        from usagers.relations.espaces import enregistrer_source

        enregistrer_source()
        referentiels.enregistrer(referentiels_relations.synchroniser)
        from usagers.relations.services import recalculs_enregistrer

        recalculs_enregistrer()
        for registre in (RECLAMATIONS, DOSSIERS, SEANCES_CDU):
            importation.enregistrer(registre)
        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        from usagers.relations.courriers_demo import charger_courriers_demo

        if charger_courriers_demo not in demo.CHARGEURS_MODULES:  # after charger_demo: its mediators are known
            demo.CHARGEURS_MODULES.append(charger_courriers_demo)
        demo.enregistrer_historique("REL", charger_historique)
        rel = "Relations avec les usagers"
        for perm in ("reclamations.voir_nominatif", "reclamations.voir_anonymise"):
            enregistrer(Entree(rel, "Plaintes, réclamations, éloges", "usagers:reclamations", perm,
                               "Du courrier reçu à la réponse finale, médiation et CDU comprises.", 1))
        enregistrer(Entree(rel, "Demandes de dossier médical", "usagers:dossiers", "dossiers.gerer",
                           "Vérifications, délais de 8 jours / 2 mois, statistiques pour la CDU.", 2))
        enregistrer(Entree(rel, "Commission des usagers", "usagers:cdu", "cdu.consulter",
                           "Membres et mandats, séances, recommandations.", 3))
        enregistrer(Entree(rel, "Rapport annuel de la CDU", "usagers:rapport_cdu", "cdu.consulter",
                           "Les données du rapport annuel sur une page imprimable.", 4))
        enregistrer(Entree(rel, "Activité des représentants des usagers", "usagers:representants", "cdu.consulter",
                           "Séances, médiations, recommandations et leurs suites, par année.", 5))
        enregistrer(Entree(rel, "Dialogue sur la sécurité des patients", "usagers:campagnes", "ru.campagnes",
                           "Le kit national : campagnes, entretiens, synthèse, réunion de clôture.", 6))
        enregistrer(Entree(rel, "Modèles de courrier", "usagers:courriers", "courriers.modeles",
                           "En-tête, signataire, voies de recours et textes des courriers, par établissement.", 7))
        enregistrer_pieces()
        from qualite.outils import registres
        from usagers.relations.models import DemandeDossier, Reclamation, SeanceCDU

        registres.suivre(Reclamation)  # the list's cached count and caches follow this register
        registres.suivre(DemandeDossier, SeanceCDU)  # lists kept by cache_pages read them
