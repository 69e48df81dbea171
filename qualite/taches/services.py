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


# ---- imports of a register's file, run by the worker -------------------------------------------------------

DELAI_SIGNE_DE_VIE = 15 * 60  # seconds without progress after which an import's worker is taken as lost


class ServiceIndisponible(Exception):
    """The broker cannot take the import now; the message is for the user, in French."""


def import_demander(*, par, registre: str, jeton: str, nom_fichier: str, lignes: int):
    """The import of the pending file `jeton`, created once: (import, created). A second confirmation (double
    click, replay) gets the first one back, so a file is never imported twice."""
    from qualite.taches.models import ImportFichier

    return ImportFichier.objects.get_or_create(jeton=jeton, defaults={
        "registre": registre, "nom_fichier": nom_fichier[:255], "lignes": lignes, "demande_par": par})


def import_lancer(*, demande) -> None:
    """Hand the import to the worker; broker down: the request is withdrawn and the file kept for a new try."""
    from qualite.taches.tasks import importer_fichier

    try:
        importer_fichier.delay(demande.pk)
    except Exception as exc:
        demande.delete()
        raise ServiceIndisponible("Le service d'import ne répond pas : rien n'a été enregistré. Réessayez dans "
                                  "quelques minutes ; si cela persiste, prévenez l'équipe informatique.") from exc


class _Suivi:
    """Progress written on a connection of its own: the import's transaction stays open until the end,
    the page must see each batch."""

    def __init__(self, demande_id: int):
        from django.db import DEFAULT_DB_ALIAS, connections

        self.demande_id, self.connexion = demande_id, connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, etape: str, progression: int) -> None:
        from qualite.taches.models import ImportFichier

        with self.connexion.cursor() as curseur:
            curseur.execute(f"UPDATE {ImportFichier._meta.db_table} SET etape = %s, progression = %s, "  # noqa: S608
                            "progression_le = %s WHERE id = %s", [etape, progression, timezone.now(), self.demande_id])

    def fermer(self) -> None:
        self.connexion.close()


def import_executer(*, demande_id: int, suivre: bool = True, request=None):
    """Read the pending file again, write it (all or nothing), record the outcome on the import and remove
    the file. Runs once: an import no longer waiting (a redelivered task, a second worker) is left as is."""
    from qualite.outils import importation
    from qualite.outils.importation import lecture
    from qualite.taches.models import ImportFichier

    S = ImportFichier.Statut
    if not ImportFichier.objects.filter(pk=demande_id, statut=S.EN_ATTENTE).update(
            statut=S.EN_COURS, etape="Lecture et vérification du fichier", progression=1, progression_le=timezone.now()):
        return ImportFichier.objects.get(pk=demande_id)
    demande = ImportFichier.objects.select_related("demande_par").get(pk=demande_id)
    chemin = importation.chemin_en_attente(demande.jeton)
    registre = importation.REGISTRES.get(demande.registre)
    suivi = _Suivi(demande.pk) if suivre else None
    try:
        if registre is None or not registre.peut_importer(demande.demande_par) or not chemin.is_file():
            return _import_finir(demande, S.ECHEC, motif="Le fichier en attente n'existe plus ou vous n'avez plus le droit "
                                                          "d'importer ce registre : déposez-le de nouveau.")
        try:
            with chemin.open("rb") as contenu:
                analyse = importation.analyser(registre, contenu, utilisateur=demande.demande_par,
                                               nom_fichier=demande.nom_fichier, limites=lecture.Limites.commande())
        except lecture.FichierRefuse as exc:
            return _import_finir(demande, S.ECHEC, motif=f"Fichier refusé : {exc}")
        avancer = None
        if suivi is not None:
            suivi("Enregistrement", 10)
            avancer = lambda faites, total: suivi(  # noqa: E731
                f"Enregistrement : {faites} ligne(s) sur {total}", 10 + 89 * faites // max(total, 1))
        bilan = importation.ecrire(analyse, utilisateur=demande.demande_par, request=request, avancer=avancer)
        if bilan.erreurs:
            return _import_finir(demande, S.ECHEC, erreurs=[str(e) for e in bilan.erreurs[:1000]],
                                 motif=f"{len(bilan.erreurs)} ligne(s) refusée(s) (les données ont changé depuis la "
                                       "vérification, ou une règle métier les refuse) : corrigez le fichier et déposez-le de nouveau.")
        return _import_finir(demande, S.TERMINE, crees=bilan.crees, modifies=bilan.modifies, inchanges=bilan.inchanges)
    finally:
        if suivi is not None:
            suivi.fermer()
        chemin.unlink(missing_ok=True)


def _import_finir(demande, statut: str, **champs):
    from qualite.taches.models import ImportFichier

    champs.setdefault("motif_echec", champs.pop("motif", ""))
    etape = "Terminé" if statut == ImportFichier.Statut.TERMINE else "Échec"
    ImportFichier.objects.filter(pk=demande.pk).update(statut=statut, etape=etape, progression=100,
                                                       progression_le=timezone.now(), termine_le=timezone.now(), **champs)
    demande.refresh_from_db()
    return demande


def imports_bloques_terminer(maintenant=None, **filtre) -> int:
    """Imports whose worker was lost (killed, restarted, never started) send no sign of life: they end as failed
    with the reason. Their transaction died with the worker: nothing of the file was kept."""
    from datetime import timedelta

    from qualite.taches.models import ImportFichier

    S = ImportFichier.Statut
    limite = (maintenant or timezone.now()) - timedelta(seconds=DELAI_SIGNE_DE_VIE)
    return ImportFichier.objects.filter(statut__in=[S.EN_ATTENTE, S.EN_COURS], progression_le__lt=limite, **filtre).update(
        statut=S.ECHEC, etape="Échec", progression=100, termine_le=timezone.now(),
        motif_echec="Import interrompu sans réponse du service (processus arrêté ou jamais démarré) : rien n'a été "
                    "enregistré. Déposez le fichier de nouveau.")
