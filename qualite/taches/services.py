"""The outbox: a change that must trigger background work writes a row in its own transaction;
the worker runs the rows. Nothing is published to the broker from inside a request's transaction."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from qualite.taches.models import TacheDifferee

TENTATIVES_MAX = 5
journal = logging.getLogger(__name__)


def tache_differer(tache, *arguments) -> TacheDifferee:
    """Ask for `tache(*arguments)` once the current transaction commits. A failed publication (broker
    down) is only logged: the periodic job runs the row when the broker is back."""
    ligne = TacheDifferee.objects.create(tache=tache.name, arguments=list(arguments))
    transaction.on_commit(_reveiller)
    return ligne


def _reveiller() -> None:
    from qualite.taches.tasks import traiter_taches_differees

    try:
        traiter_taches_differees.delay()
    except Exception as exc:  # the broker is down: the beat schedule will run the row later
        journal.warning("Tâche différée gardée en base, courtier injoignable : %s", exc)


def taches_traiter(limite: int = 200) -> int:
    """Run the pending rows, oldest first, each in its own transaction with its row locked (SKIP LOCKED:
    two workers never run the same row). A task that raises keeps its row for a later attempt."""
    from config.celery import app

    faites, essayees = 0, []
    for _ in range(limite):
        with transaction.atomic():
            ligne = (TacheDifferee.objects.select_for_update(skip_locked=True)
                     .filter(traitee_le__isnull=True, tentatives__lt=TENTATIVES_MAX).exclude(pk__in=essayees)
                     .order_by("creee_le").first())
            if ligne is None:
                break
            essayees.append(ligne.pk)  # one attempt per row and per pass
            try:
                with transaction.atomic():
                    app.tasks[ligne.tache].run(*ligne.arguments)
            except Exception as exc:
                ligne.tentatives += 1
                ligne.derniere_erreur = f"{type(exc).__name__} : {exc}"[:2000]
                ligne.save(update_fields=["tentatives", "derniere_erreur"])
                continue
            ligne.traitee_le = timezone.now()
            ligne.save(update_fields=["traitee_le"])
            faites += 1
    return faites
