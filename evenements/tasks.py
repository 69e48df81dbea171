from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from evenements.models import EvenementIndesirable


@shared_task(acks_late=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5,
             time_limit=60, soft_time_limit=50)
def notifier_declarant(evenement_id: int) -> bool:
    """Tell the declarant their report moved. The mail carries no health data: a link only."""
    ev = EvenementIndesirable.objects.select_related("created_by").filter(pk=evenement_id).first()
    if ev is None or ev.created_by is None or not ev.created_by.email:
        return False
    contexte = {"ev": ev, "url": settings.SITE_URL.rstrip("/") + reverse("evenements:mes_declarations")}
    send_mail(
        f"Votre déclaration {ev.reference} : {ev.get_statut_display()}",
        render_to_string("evenements/mail/notification.txt", contexte),
        settings.DEFAULT_FROM_EMAIL,
        [ev.created_by.email],
    )
    return True
