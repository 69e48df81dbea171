from django.urls import path

from qualite.echeances import views as views_echeances
from qualite.identite import views as views_identite
from qualite.organisation import views as views_organisation
from qualite.outils import vues_import as views_import
from qualite.paqss import views as views_actions

app_name = "qualite"

urlpatterns = [
    path("", views_organisation.accueil, name="accueil"),
    path("echeances/", views_echeances.mes_echeances, name="mes_echeances"),
    path("echeances/abonnement/", views_echeances.ical_jeton, name="ical_jeton"),
    path("echeances/ical/<str:jeton>.ics", views_echeances.ical, name="ical"),
    path("echeances/regles/", views_echeances.regles, name="regles"),
    path("echeances/regles/<slug:code>/modifier/", views_echeances.regle_modifier, name="regle_modifier"),
    path("audit/", views_organisation.journal_audit, name="audit"),
    path("import/", views_import.importer, name="importer"),
    path("import/confirmer/", views_import.confirmer, name="importer_confirmer"),
    path("import/abandonner/", views_import.abandonner, name="importer_abandonner"),
    path("import/<int:pk>/", views_import.suivi, name="import_suivi"),
    path("plan-actions/", views_actions.programme, name="programme"),
    path("plan-actions/<int:pk>/", views_actions.action_detail, name="action_detail"),
    path("plan-actions/<int:pk>/modifier/", views_actions.action_modifier, name="action_modifier"),
    path("plan-actions/<int:pk>/statut/", views_actions.action_statut, name="action_statut"),
    path("plan-actions/mon-pole/", views_actions.mon_pole, name="mon_pole"),
    path("plan-actions/pole/<int:pk>/", views_actions.plan_pole, name="plan_pole"),
    # identity: directory groups -> roles (issue 20)
    path("administration/groupes-annuaire/", views_identite.correspondances, name="correspondances"),
    path("administration/groupes-annuaire/nouvelle/", views_identite.correspondance_modifier,
         name="correspondance_nouvelle"),
    path("administration/groupes-annuaire/<int:pk>/", views_identite.correspondance_modifier,
         name="correspondance_modifier"),
    path("api/jetons/", views_identite.jeton_api, name="jeton_api"),
    path("api/jetons/creer/", views_identite.jeton_api_creer, name="jeton_api_creer"),
    path("api/jetons/<int:pk>/revoquer/", views_identite.jeton_api_revoquer, name="jeton_api_revoquer"),
]
