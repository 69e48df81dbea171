from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("qualite", "0009_jeton_ical_hacher"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="utilisateur",
            name="jeton_ical",
        ),
    ]
