from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

REGLE = "paqss-action-echeance"


def creer(apps, schema_editor):
    RegleEcheance = apps.get_model("qualite", "RegleEcheance")
    RegleEcheance.objects.update_or_create(
        code=REGLE,
        defaults={
            "module": "PAQSS",
            "libelle": "Action du PAQSS : échéance de réalisation",
            "base_legale": "Règle interne (programme d'amélioration de la qualité et de la sécurité des soins)",
            "a_verifier": False,
            "alerte_avant": timedelta(days=15),
            "satisfaite_par": "Passage de l'action à « Réalisée » ; sans objet si l'action est abandonnée",
            "roles": ["gestionnaire_risques", "cadre_pole"],
        },
    )


def rattraper(apps, schema_editor):
    """Actions dated before this rule existed get their deadline (realised ones, satisfied)."""
    Action = apps.get_model("qualite", "ActionAmelioration")
    actions = Action.objects.filter(echeance__isnull=False, statut__in=["a_planifier", "en_cours", "realisee"])
    if not actions.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Echeance = apps.get_model("qualite", "Echeance")
    regle = apps.get_model("qualite", "RegleEcheance").objects.get(code=REGLE)
    ct, _ = ContentType.objects.get_or_create(app_label="qualite", model="actionamelioration")
    tz = ZoneInfo(settings.TIME_ZONE)
    for a in actions.iterator():
        fin = datetime.combine(a.echeance + timedelta(days=1), time.min, tzinfo=tz) - timedelta(microseconds=1)
        Echeance.objects.get_or_create(
            content_type=ct, object_id=a.pk, regle=regle, cle="",
            defaults={
                "reference": f"Action PAQSS n° {a.pk}", "url": f"/plan-actions/{a.pk}/",
                "etablissement_id": a.etablissement_id, "pole_id": a.pole_id, "responsable_id": a.responsable_id,
                "echeance": fin, "debut_compte": "échéance fixée dans le plan d'actions",
                "satisfaite_le": a.updated_at if a.statut == "realisee" else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("qualite", "0003_paqss_suivi"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [
        migrations.RunPython(creer, migrations.RunPython.noop),
        migrations.RunPython(rattraper, migrations.RunPython.noop),
    ]
