from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "qualite.documents"
    label = "documents"
    verbose_name = "Gestion documentaire"

    def ready(self):
        from qualite.documents.a_traiter import enregistrer_a_traiter

        enregistrer_a_traiter()
        from qualite.documents.models import AccuseLecture, Document, VersionDocument
        from qualite.outils import registres

        registres.suivre(Document, VersionDocument, AccuseLecture)  # « À traiter » counts documents to read
        from qualite.documents import referentiels as referentiels_documents
        from qualite.documents.demo import charger_demo
        from qualite.documents.models import Document
        from qualite.documents.services import synchroniser_echeance
        from qualite.echeances import referentiels
        from qualite.echeances.moteur import recalcul_enregistrer
        from qualite.organisation import demo
        from qualite.organisation.navigation import Entree, enregistrer

        referentiels.enregistrer(referentiels_documents.synchroniser)
        recalcul_enregistrer(Document, synchroniser_echeance)
        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        section = "Documents qualité"
        enregistrer(Entree(section, "Documents à lire", "documents:a_lire", "documents.voir",
                           "Les procédures et protocoles diffusés à vous, dont la lecture reste à confirmer.", 20))
        enregistrer(Entree(section, "Gestion documentaire", "documents:liste", "documents.voir",
                           "Procédures, protocoles, formulaires et chartes en vigueur ; circuit de validation.", 60))
        enregistrer(Entree(section, "Rechercher dans les documents", "documents:recherche", "documents.voir",
                           "Recherche dans les titres et le texte des fichiers PDF et Word.", 61))
