import hashlib

from django.db import migrations


def hacher(apps, schema_editor):
    """Links already given keep working: their token is looked up by its hash from now on."""
    Utilisateur = apps.get_model("qualite", "Utilisateur")
    users = list(Utilisateur.objects.exclude(jeton_ical=None).only("pk", "jeton_ical"))
    for u in users:
        u.jeton_ical_empreinte = hashlib.sha256(u.jeton_ical.encode()).hexdigest()
    Utilisateur.objects.bulk_update(users, ["jeton_ical_empreinte"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("qualite", "0008_jeton_ical_empreinte"),
    ]

    # Backwards, the clear tokens cannot come back: their owners create a new link.
    operations = [migrations.RunPython(hacher, migrations.RunPython.noop)]
