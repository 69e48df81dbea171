from django.urls import path

from . import views

app_name = "qualite"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("echeances/", views.mes_echeances, name="mes_echeances"),
    path("echeances/abonnement/", views.ical_jeton, name="ical_jeton"),
    path("echeances/ical/<str:jeton>.ics", views.ical, name="ical"),
    path("echeances/regles/", views.regles, name="regles"),
    path("audit/", views.journal_audit, name="audit"),
]
