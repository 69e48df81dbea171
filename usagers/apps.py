from django.apps import AppConfig


class UsagersConfig(AppConfig):
    name = "usagers"
    verbose_name = "Relations avec les usagers"

    def ready(self):
        from qualite import demo
        from qualite.navigation import Entree, enregistrer

        from .demo import charger_demo

        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)

        section = "Soins sans consentement"
        for perm in ("ssc.gerer", "ssc.voir_unite"):
            enregistrer(Entree(section, "Échéances du jour", "usagers:ssc_journal", perm,
                               "En retard, aujourd'hui, 7 prochains jours, par unité.", 5))
            enregistrer(Entree(section, "Mesures", "usagers:ssc_mesures", perm, "Admissions, certificats, décisions.", 6))
            enregistrer(Entree(section, "Registre isolement et contention", "usagers:ssc_registre", perm,
                               "Le registre légal (L3222-5-1) et son export.", 7))
        enregistrer(Entree(section, "Chiffres annuels", "usagers:ssc_statistiques", "ssc.statistiques",
                           "Mesures par mode, isolement et contention : chiffres pour la CDU.", 8))
