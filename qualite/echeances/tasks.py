from celery import shared_task
from django.db import transaction
from django.utils import timezone

from qualite.echeances.models import DigestEnvoye
from qualite.echeances.services import digest_echeances_envoyer
from qualite.organisation.models import Utilisateur


@shared_task(acks_late=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=3,
             time_limit=60, soft_time_limit=50)
def envoyer_digest_echeances(utilisateur_id: int) -> bool:
    """Sent at most once per Paris day: the day's row is inserted first; a second run (another beat,
    a redelivered message) waits on it and finds it taken. A failed send rolls the row back for the retry."""
    utilisateur = Utilisateur.objects.filter(pk=utilisateur_id, is_active=True).first()
    if utilisateur is None:
        return False
    with transaction.atomic():
        _, nouveau = DigestEnvoye.objects.get_or_create(utilisateur=utilisateur, jour=timezone.localdate())
        if not nouveau:
            return False
        return digest_echeances_envoyer(utilisateur=utilisateur)


@shared_task(time_limit=300, soft_time_limit=280)
def envoyer_digests_echeances() -> int:
    """Morning digest: one task per active user with an e-mail address and a role."""
    ids = list(
        Utilisateur.objects.filter(is_active=True).exclude(email="").exclude(roles=[]).values_list("id", flat=True)
    )
    for pk in ids:
        envoyer_digest_echeances.delay(pk)
    return len(ids)


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1780)
def recalculer_regle(code: str) -> int:
    """After an administrator edits a rule's delay: recompute every record that has a deadline of this rule."""
    from qualite.echeances.moteur import regle_recalculer

    return regle_recalculer(code)
