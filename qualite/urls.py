from django.urls import path

from . import views, views_actions, views_import

app_name = "qualite"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("echeances/", views.mes_echeances, name="mes_echeances"),
    path("echeances/abonnement/", views.ical_jeton, name="ical_jeton"),
    path("echeances/ical/<str:jeton>.ics", views.ical, name="ical"),
    path("echeances/regles/", views.regles, name="regles"),
    path("audit/", views.journal_audit, name="audit"),
    path("import/", views_import.importer, name="importer"),
    path("import/confirmer/", views_import.confirmer, name="importer_confirmer"),
    path("import/abandonner/", views_import.abandonner, name="importer_abandonner"),
    path("plan-actions/", views_actions.programme, name="programme"),
    path("plan-actions/<int:pk>/", views_actions.action_detail, name="action_detail"),
    path("plan-actions/<int:pk>/modifier/", views_actions.action_modifier, name="action_modifier"),
    path("plan-actions/<int:pk>/statut/", views_actions.action_statut, name="action_statut"),
    path("plan-actions/mon-pole/", views_actions.mon_pole, name="mon_pole"),
    path("plan-actions/pole/<int:pk>/", views_actions.plan_pole, name="plan_pole"),
]
