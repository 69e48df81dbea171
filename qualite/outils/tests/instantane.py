"""What an import leaves in the database, without the values that differ between two runs (ids, instants)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from qualite.echeances.models import Echeance
from qualite.organisation.models import AuditEntry

VARIABLES = {"id", "pk", "created_at", "updated_at", "horodatage", "le", "pgh_id", "pgh_created_at", "pgh_obj",
             "pgh_obj_id", "pgh_context", "pgh_context_id", "object_id", "objet"}  # audit's objet: compared without its id


def _ligne(objet, cles: dict) -> tuple:
    valeurs = {}
    for champ in objet._meta.concrete_fields:
        if champ.name in VARIABLES or champ.attname in VARIABLES:
            continue
        v = getattr(objet, champ.attname)
        if isinstance(champ, models.ForeignKey) and champ.related_model in cles:
            v = cles[champ.related_model].get(v, v)  # the record's reference, not its id
        valeurs[champ.name] = repr(v)
    return tuple(sorted(valeurs.items()))


def instantane(modele, cle, *suivis) -> dict:
    """Rows of `modele` created by the import (keyed by `cle`), their history rows, the `suivis` models pointing
    at them, their audit entries (with the context of the history) and their deadlines: all comparable.
    `cle`: a field name, or a function of the record (a key that does not depend on the ids)."""
    ct = ContentType.objects.get_for_model(modele)
    lire_cle = cle if callable(cle) else (lambda o: getattr(o, cle))
    objets = {o.pk: lire_cle(o) for o in modele.objects.all()}
    cles = {modele: objets}
    evenements = apps.get_model(modele._meta.app_label, f"{modele.__name__}Event")
    resultat = {
        "lignes": sorted(_ligne(o, cles) for o in modele.objects.all()),
        "historique": sorted((objets[e.pgh_obj_id], e.pgh_label, _ligne(e, cles),
                              repr(e.pgh_context.metadata.get("importation") if e.pgh_context_id else None))
                             for e in evenements.objects.select_related("pgh_context")),
        "audit": sorted((objets.get(int(a.object_id)), _ligne(a, cles), a.objet.replace(f"n° {a.object_id}", "n° …"))
                        for a in AuditEntry.objects.filter(content_type=ct).exclude(action="export")),
        "echeances": sorted((objets.get(e.object_id), _ligne(e, cles)) for e in Echeance.objects.filter(content_type=ct)),
    }
    for suivi, champ in suivis:
        resultat[suivi.__name__] = sorted((objets[getattr(o, f"{champ}_id")], _ligne(o, cles)) for o in suivi.objects.all())
    return resultat


class _Annuler(Exception):
    pass


def essai(fonction, *args, **kw):
    """Run `fonction`, read what it wrote with `lire`, then roll it back (a savepoint of the test's transaction)."""
    lire = kw.pop("lire")
    try:
        with transaction.atomic():
            retour = fonction(*args, **kw)
            lu = lire()
            raise _Annuler
    except _Annuler:
        pass
    return retour, lu
