"""Reference data kept in code and copied into the database: the deadline rules of every module, the event
types, the letter templates, the dialogue kit. Each app lists its own in `<app>/referentiels.py` and connects
its `synchroniser()` here; it runs after every `migrate` (and after the flush of transactional tests), and is
idempotent: rows are created or updated by their code, never duplicated."""

from django.db.models.signals import post_migrate

from qualite.outils import registres

SYNCHRONISEURS: list = []


# What the code keeps up to date on an existing rule; its delays, alert, roles and « à vérifier » flag are the
# law's defaults at creation, then the administrator's to set (an edit is never undone by a migrate).
DESCRIPTIFS = ("module", "libelle", "base_legale", "satisfaite_par", "decompte", "delai_legal")

# Every rule the modules declare, by code, with the law's values: filled at import by each `referentiels.py`.
DECLAREES: dict[str, dict] = {}


def regle_declarer(code: str, **valeurs) -> None:
    """Declare a rule and its law's values (at import: the pure calendars read them as defaults)."""
    from qualite.echeances import delais

    valeurs.setdefault("delai", None)
    valeurs.setdefault("delai_mois", None)
    valeurs.setdefault("paliers_mois", [])
    legal = delais.declarer(code, delais.Delai(valeurs["delai"], valeurs["delai_mois"], tuple(valeurs["paliers_mois"])))
    valeurs["delai_legal"] = delais.texte(legal, valeurs.get("decompte", ""))
    DECLAREES[code] = valeurs


def regles_ecrire(module: str) -> None:
    """Create a module's missing rules with the law's values; refresh only the wording of existing ones."""
    from qualite.echeances.models import RegleEcheance

    for code, valeurs in DECLAREES.items():
        if valeurs.get("module") != module:
            continue
        regle, cree = RegleEcheance.objects.get_or_create(code=code, defaults=valeurs)
        if not cree and any(getattr(regle, c) != valeurs[c] for c in DESCRIPTIFS if c in valeurs):
            RegleEcheance.objects.filter(pk=regle.pk).update(**{c: valeurs[c] for c in DESCRIPTIFS if c in valeurs})
            registres.modifie(RegleEcheance)  # update() sends no signal


def enregistrer(synchroniser) -> None:
    if synchroniser not in SYNCHRONISEURS:
        SYNCHRONISEURS.append(synchroniser)


def tout_synchroniser(**kwargs) -> None:
    for synchroniser in SYNCHRONISEURS:
        synchroniser()


def connecter(app_config) -> None:
    """Called once from the deadline app's ready(): one handler, run when that app has been migrated."""
    post_migrate.connect(tout_synchroniser, sender=app_config, dispatch_uid="referentiels")
