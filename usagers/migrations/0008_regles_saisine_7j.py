from datetime import timedelta

from django.db import migrations

REGLES = [
    ("ssc-isolement-saisine-7j", "Isolement : nouvelle saisine du juge 7 jours après sa dernière décision de maintien"),
    ("ssc-contention-saisine-7j", "Contention : nouvelle saisine du juge 7 jours après sa dernière décision de maintien"),
]


def creer(apps, schema_editor):
    RegleEcheance = apps.get_model("qualite", "RegleEcheance")
    for code, libelle in REGLES:
        RegleEcheance.objects.update_or_create(code=code, defaults={
            "module": "Soins sans consentement", "libelle": libelle, "base_legale": "CSP L3222-5-1",
            "a_verifier": False, "delai": timedelta(hours=168), "alerte_avant": timedelta(hours=24),
            "roles": ["bureau_admissions", "psychiatre"],
            "satisfaite_par": "Date de saisine du juge saisie sur une décision de l'épisode, après sa dernière décision",
        })


class Migration(migrations.Migration):
    dependencies = [("usagers", "0007_decision_juge_isolement")]
    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
