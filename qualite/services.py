from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors
from .echeances import bornes_du_jour
from .models import Utilisateur


def digest_echeances_envoyer(*, utilisateur: Utilisateur, maintenant=None) -> bool:
    """Mail one user the deadlines overdue, due today and due within 7 days. False if nothing to say."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    # Within 7 days, or earlier when the rule asks for an earlier alert (EIGS part 2: 15 days).
    qs = (
        selectors.echeances_pour(utilisateur, maintenant)
        .filter(satisfaite_le__isnull=True, sans_objet=False)
        .annotate(alerte_des=ExpressionWrapper(F("echeance") - F("regle__alerte_avant"), output_field=DateTimeField()))
        .filter(Q(echeance__lt=demain + timedelta(days=7)) | Q(alerte_des__lte=maintenant))
    )
    echeances = list(qs[:500])
    if not echeances or not utilisateur.email:
        return False
    groupes = {
        "en_retard": [e for e in echeances if e.statut_calcule == "en_retard"],
        "aujourdhui": [e for e in echeances if e.statut_calcule == "du_aujourdhui"],
        "a_venir": [e for e in echeances if e.statut_calcule == "a_venir"],
    }
    contexte = {
        "utilisateur": utilisateur,
        "groupes": groupes,
        "site_url": settings.SITE_URL.rstrip("/"),
        "jour": timezone.localtime(maintenant).date(),
    }
    sujet = (
        f"Échéances : {len(groupes['en_retard'])} en retard, {len(groupes['aujourdhui'])} aujourd'hui, "
        f"{len(groupes['a_venir'])} dans les 7 jours"
    )
    send_mail(
        sujet,
        render_to_string("qualite/mail/digest_echeances.txt", contexte),
        settings.DEFAULT_FROM_EMAIL,
        [utilisateur.email],
    )
    return True


def action_creer(
    *,
    titre: str,
    origine: str,
    source,
    etablissement_id: int,
    par,
    pole_id: int | None = None,
    service_id: int | None = None,
    responsable=None,
    echeance=None,
    description: str = "",
):
    """Raise a PAQSS action from a source record of any module."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ActionAmelioration

    return ActionAmelioration.objects.create(
        titre=titre,
        description=description,
        origine=origine,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        etablissement_id=etablissement_id,
        pole_id=pole_id,
        service_id=service_id,
        responsable=responsable,
        echeance=echeance,
        created_by=par,
    )


def actions_de(source):
    from django.contrib.contenttypes.models import ContentType

    from .models import ActionAmelioration

    ct = ContentType.objects.get_for_model(source)
    return ActionAmelioration.objects.filter(source_type=ct, source_id=source.pk).select_related("responsable")
