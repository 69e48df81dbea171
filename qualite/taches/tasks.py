from celery import shared_task


@shared_task(time_limit=300, soft_time_limit=280)
def traiter_taches_differees() -> int:
    from qualite.taches.services import taches_traiter

    return taches_traiter()
