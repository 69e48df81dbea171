from django.urls import path

from usagers.relations import views as rel
from usagers.ssc import views

app_name = "usagers"

urlpatterns = [
    path("soins-sans-consentement/", views.journal, name="ssc_journal"),
    path("soins-sans-consentement/mesures/", views.mesures, name="ssc_mesures"),
    path("soins-sans-consentement/mesures/nouvelle/", views.mesure_nouvelle, name="ssc_nouvelle"),
    path("soins-sans-consentement/mesures/<int:pk>/", views.mesure, name="ssc_mesure"),
    path("soins-sans-consentement/mesures/<int:pk>/actes/", views.acte_ajouter, name="ssc_acte"),
    path("soins-sans-consentement/mesures/<int:pk>/actes/<int:acte_pk>/annuler/", views.acte_annuler, name="ssc_acte_annuler"),
    path("soins-sans-consentement/mesures/<int:pk>/pieces/", views.document_ajouter, name="ssc_document"),
    path("soins-sans-consentement/mesures/<int:pk>/isolement/", views.isolement, name="ssc_isolement"),
    path("soins-sans-consentement/mesures/<int:pk>/isolement/<int:decision_pk>/", views.isolement, name="ssc_isolement_modifier"),
    path("soins-sans-consentement/mesures/<int:pk>/isolement/juge/", views.decision_juge_isolement, name="ssc_juge_isolement"),
    path("soins-sans-consentement/mesures/<int:pk>/isolement/<int:decision_pk>/evaluation/", views.evaluation_isolement,
         name="ssc_isolement_evaluation"),
    path("soins-sans-consentement/isolement/registre/", views.registre_isolement, name="ssc_registre"),
    path("soins-sans-consentement/statistiques/", views.statistiques, name="ssc_statistiques"),
    path("reclamations/", rel.reclamations, name="reclamations"),
    path("reclamations/nouvelle/", rel.reclamation_nouvelle, name="reclamation_nouvelle"),
    path("reclamations/<int:pk>/", rel.reclamation, name="reclamation"),
    path("reclamations/<int:pk>/geste/<str:geste>/", rel.reclamation_geste, name="reclamation_geste"),
    path("reclamations/<int:pk>/lettre/<str:type_lettre>/", rel.reclamation_lettre, name="reclamation_lettre"),
    path("reclamations/<int:pk>/courriers/<int:courrier_pk>.pdf", rel.reclamation_courrier, name="reclamation_courrier"),
    path("reclamations/<int:pk>/evenement/", rel.reclamation_evenement, name="reclamation_evenement"),
    path("reclamations/<int:pk>/action/", rel.reclamation_action, name="reclamation_action"),
    path("dossiers-medicaux/", rel.dossiers, name="dossiers"),
    path("dossiers-medicaux/nouvelle/", rel.dossier, name="dossier_nouveau"),
    path("dossiers-medicaux/<int:pk>/", rel.dossier, name="dossier"),
    path("cdu/", rel.cdu, name="cdu"),
    path("cdu/membres/nouveau/", rel.membre, name="membre_nouveau"),
    path("cdu/membres/<int:pk>/", rel.membre, name="membre"),
    path("cdu/seances/nouvelle/", rel.seance, name="seance_nouvelle"),
    path("cdu/seances/<int:pk>/", rel.seance, name="seance"),
    path("cdu/seances/<int:pk>/recommandations/", rel.recommandation_ajouter, name="recommandation_ajouter"),
    path("cdu/recommandations/<int:pk>/action/", rel.recommandation_action, name="recommandation_action"),
    path("cdu/rapport-annuel/", rel.rapport_cdu, name="rapport_cdu"),
    path("cdu/representants-des-usagers/", rel.representants, name="representants"),
    path("dialogue-securite/", rel.campagnes, name="campagnes"),
    path("dialogue-securite/<int:pk>/", rel.campagne, name="campagne"),
    path("modeles-de-courrier/", rel.courriers, name="courriers"),
    path("modeles-de-courrier/<int:etablissement_pk>/en-tete/", rel.courrier_entete, name="courrier_entete"),
    path("modeles-de-courrier/<int:etablissement_pk>/<str:type_lettre>/", rel.courrier_modele, name="courrier_modele"),
]
