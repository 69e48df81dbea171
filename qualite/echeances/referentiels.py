"""Reference data kept in code and copied into the database: the deadline rules of every module, the event
types, the letter templates, the dialogue kit. Each app lists its own in `<app>/referentiels.py` and connects
its `synchroniser()` here; it runs after every `migrate` (and after the flush of transactional tests), and is
idempotent: rows are created or updated by their code, never duplicated."""

from django.db.models.signals import post_migrate

SYNCHRONISEURS: list = []


def regle_synchroniser(code: str, **valeurs) -> None:
    """Create or update one deadline rule by its code (the engine reads `RegleEcheance`)."""
    from qualite.echeances.models import RegleEcheance

    valeurs.setdefault("delai", None)
    valeurs.setdefault("delai_mois", None)
    RegleEcheance.objects.update_or_create(code=code, defaults=valeurs)


def enregistrer(synchroniser) -> None:
    if synchroniser not in SYNCHRONISEURS:
        SYNCHRONISEURS.append(synchroniser)


def tout_synchroniser(**kwargs) -> None:
    for synchroniser in SYNCHRONISEURS:
        synchroniser()


def connecter(app_config) -> None:
    """Called once from the deadline app's ready(): one handler, run when that app has been migrated."""
    post_migrate.connect(tout_synchroniser, sender=app_config, dispatch_uid="referentiels")
