from celery import Task, shared_task
from django.db import OperationalError

from .models import Utilisateur
from .services import digest_echeances_envoyer


@shared_task(acks_late=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=3,
             time_limit=60, soft_time_limit=50)
def envoyer_digest_echeances(utilisateur_id: int) -> bool:
    utilisateur = Utilisateur.objects.filter(pk=utilisateur_id, is_active=True).first()
    if utilisateur is None:
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


class TacheRapport(Task):
    """Reports the final failure on the report itself: never silent."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .models import RapportAnnuel

        RapportAnnuel.objects.filter(pk=args[0]).update(
            statut=RapportAnnuel.Statut.ECHEC, etape="Échec", motif_echec=f"{type(exc).__name__} : {exc}"[:2000])


@shared_task(base=TacheRapport, bind=True, acks_late=True, autoretry_for=(OperationalError, OSError),
             retry_backoff=5, max_retries=2, time_limit=900, soft_time_limit=840)
def generer_rapport_annuel(self, rapport_id: int) -> str:
    from .models import RapportAnnuel
    from .rapport import rapport_generer

    rapport = RapportAnnuel.objects.select_related("ght", "etablissement").get(pk=rapport_id)
    if rapport.statut == RapportAnnuel.Statut.PRET:
        return "déjà prêt"
    rapport_generer(rapport=rapport)
    return "prêt"
