from datetime import timedelta

from django.db import migrations

TYPES = [
    "Soins", "Médicament", "Chute", "Infection associée aux soins", "Identitovigilance", "Dispositif médical",
    "Violence, agression", "Biens et personnes", "Organisation, parcours", "Système d'information",
    "Transfusion", "Fugue, disparition", "Suicide, tentative de suicide", "Autre",
]


def creer(apps, schema_editor):
    TypeEvenement = apps.get_model("evenements", "TypeEvenement")
    for i, libelle in enumerate(TYPES):
        TypeEvenement.objects.get_or_create(libelle=libelle, defaults={"ordre": (i + 1) * 10})
    MatriceCriticite = apps.get_model("evenements", "MatriceCriticite")
    if not MatriceCriticite.objects.exists():
        MatriceCriticite.objects.create(seuil_a_surveiller=5, seuil_inacceptable=10)
    RegleEcheance = apps.get_model("qualite", "RegleEcheance")
    RegleEcheance.objects.update_or_create(
        code="eigs-partie2",
        defaults={
            "module": "Évènements indésirables",
            "libelle": "EIGS : partie 2 de la déclaration à l'ARS",
            "base_legale": "CSP R1413-69",
            "a_verifier": True,
            "delai_mois": 3,
            "alerte_avant": timedelta(days=15),
            "satisfaite_par": "Date d'envoi de la partie 2 (point de départ retenu : envoi de la partie 1)",
            "roles": ["gestionnaire_risques"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evenements", "0001_initial"),
        ("qualite", "0002_actionamelioration_actionameliorationevent_compteur_and_more"),
    ]

    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
