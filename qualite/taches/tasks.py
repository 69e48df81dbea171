from celery import Task, shared_task


@shared_task(time_limit=300, soft_time_limit=280)
def traiter_taches_differees() -> int:
    from qualite.taches.services import taches_traiter

    return taches_traiter()


class TacheImport(Task):
    """The final failure is written on the import itself: the page shows it with its reason."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from django.utils import timezone

        from qualite.taches.models import ImportFichier

        ImportFichier.objects.filter(pk=args[0]).exclude(statut=ImportFichier.Statut.TERMINE).update(
            statut=ImportFichier.Statut.ECHEC, etape="Échec", progression=100, termine_le=timezone.now(),
            motif_echec=f"Erreur du service d'import ({type(exc).__name__}) : rien n'a été enregistré.")


@shared_task(base=TacheImport, acks_late=True, time_limit=1100, soft_time_limit=1040)  # < visibility_timeout (1 200 s)
def importer_fichier(demande_id: int) -> str:
    from qualite.taches.services import import_executer

    return import_executer(demande_id=demande_id).statut


@shared_task(time_limit=120)
def imports_bloques_terminer() -> int:
    from qualite.taches.services import imports_bloques_terminer as terminer

    return terminer()
