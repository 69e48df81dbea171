from celery import Task, shared_task
from django.db import OperationalError


class TacheRapport(Task):
    """Reports the final failure on the report itself: never silent."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from qualite.pilotage.models import RapportAnnuel

        RapportAnnuel.objects.filter(pk=args[0]).update(
            statut=RapportAnnuel.Statut.ECHEC, etape="Échec", motif_echec=f"{type(exc).__name__} : {exc}"[:2000])


@shared_task(time_limit=120)
def rapports_bloques_terminer() -> int:
    from qualite.pilotage.rapport import rapports_bloques_terminer as terminer

    return terminer()


@shared_task(base=TacheRapport, bind=True, acks_late=True, autoretry_for=(OperationalError, OSError),
             retry_backoff=5, max_retries=2, time_limit=900, soft_time_limit=840)
def generer_rapport_annuel(self, rapport_id: int) -> str:
    from qualite.pilotage.models import RapportAnnuel
    from qualite.pilotage.rapport import rapport_generer

    rapport = RapportAnnuel.objects.select_related("ght", "etablissement").get(pk=rapport_id)
    if rapport.statut == RapportAnnuel.Statut.PRET:
        return "déjà prêt"
    rapport_generer(rapport=rapport)
    return "prêt"
