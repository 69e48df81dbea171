from datetime import timedelta

from django.db import migrations

ADM_PSY = ["bureau_admissions", "psychiatre"]
REGLES = [
    ("ssc-isolement-renouvellement", "Isolement : fin ou renouvellement de la décision (12 h)", timedelta(hours=12)),
    ("ssc-contention-renouvellement", "Contention : fin ou renouvellement de la décision (6 h)", timedelta(hours=6)),
    ("ssc-isolement-information", "Isolement au-delà de 48 h : information du juge et d'un proche", timedelta(hours=48)),
    ("ssc-contention-information", "Contention au-delà de 24 h : information du juge et d'un proche", timedelta(hours=24)),
    ("ssc-isolement-saisine", "Isolement : saisine du juge avant 72 h", timedelta(hours=72)),
    ("ssc-contention-saisine", "Contention : saisine du juge avant 48 h", timedelta(hours=48)),
]


def creer(apps, schema_editor):
    RegleEcheance = apps.get_model("qualite", "RegleEcheance")
    for code, libelle, delai in REGLES:
        RegleEcheance.objects.update_or_create(code=code, defaults={
            "module": "Soins sans consentement", "libelle": libelle, "base_legale": "CSP L3222-5-1, R3211-31",
            "a_verifier": False, "delai": delai, "alerte_avant": timedelta(hours=2), "roles": ADM_PSY,
            "satisfaite_par": "Date saisie sur la décision (fin, information, saisine)",
        })


class Migration(migrations.Migration):
    dependencies = [("usagers", "0002_regles_ssc")]
    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
