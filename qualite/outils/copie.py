"""Many new rows at once through PostgreSQL COPY: what bulk_create writes, without compiling a 2 000-row
INSERT nor preparing each value through its field in Python (most of a bulk import's time). Row triggers
(history) and constraints run as for an INSERT."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

from qualite.outils import registres


def _lecteurs(champs, maintenant):
    """For each field, how its value is read from an instance: the attribute itself (psycopg adapts it),
    the instant of the batch for auto_now fields, JSON wrapped."""
    lecteurs = []
    for c in champs:
        if getattr(c, "auto_now", False) or getattr(c, "auto_now_add", False):
            lecteurs.append(lambda o, c=c: maintenant)
        elif isinstance(c, models.JSONField):
            lecteurs.append(lambda o, a=c.attname: None if getattr(o, a) is None else Jsonb(getattr(o, a)))
        else:
            lecteurs.append(lambda o, a=c.attname: getattr(o, a))
    return lecteurs


def _copier(table: str, colonnes: list[str], lignes: Iterable) -> None:
    noms = ", ".join(connection.ops.quote_name(c) for c in colonnes)
    with connection.cursor() as curseur:
        with curseur.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({noms}) FROM STDIN") as copie:
            for ligne in lignes:
                copie.write_row(ligne)


def inserer(modele, objets: list) -> list:
    """INSERT the unsaved `objets` of `modele`; their ids are taken from the table's sequence first and set
    on them, so related rows can point at them. auto_now fields get one instant for the batch."""
    if not objets:
        return objets
    meta = modele._meta
    maintenant = timezone.now()
    with connection.cursor() as curseur:
        curseur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                        [meta.db_table, meta.pk.column, len(objets)])
        for objet, (identifiant,) in zip(objets, curseur.fetchall(), strict=True):
            setattr(objet, meta.pk.attname, identifiant)
    for objet in objets:
        for c in meta.concrete_fields:
            if getattr(c, "auto_now", False) or getattr(c, "auto_now_add", False):
                setattr(objet, c.attname, maintenant)
    champs = list(meta.concrete_fields)
    lecteurs = _lecteurs(champs, maintenant)
    _copier(meta.db_table, [c.column for c in champs], ([lire(o) for lire in lecteurs] for o in objets))
    _signaler(modele)
    for objet in objets:
        objet._state.adding, objet._state.db = False, connection.alias
    return objets


def copier(modele, valeurs: list[dict]) -> int:
    """New rows given as {field: value}, no instance built (audit entries, transitions): fields left out take
    their default; the id comes from the table's identity."""
    if not valeurs:
        return 0
    meta = modele._meta
    maintenant = timezone.now()
    champs = [c for c in meta.concrete_fields if not c.primary_key]
    defauts = {}
    for c in champs:
        if getattr(c, "auto_now", False) or getattr(c, "auto_now_add", False):
            defauts[c.attname] = maintenant
        elif c.has_default():
            defauts[c.attname] = c.get_default()
        else:
            defauts[c.attname] = None if c.null else ""
    json = {c.attname for c in champs if isinstance(c, models.JSONField)}

    def ligne(v):
        rangee = []
        for c in champs:
            x = v.get(c.attname, defauts[c.attname]) if c.attname in v or c.name not in v else v[c.name]
            rangee.append(Jsonb(x) if c.attname in json and x is not None else x)
        return rangee

    _copier(meta.db_table, [c.column for c in champs], (ligne(v) for v in valeurs))
    _signaler(modele)
    return len(valeurs)


def _signaler(modele) -> None:
    """COPY sends no signal: the caches following this register (qualite/outils/registres.py) count again."""
    if registres.suivi(modele):
        registres.modifie(modele)


def mettre_a_jour(modele, objets: list, champs: list[str]) -> int:
    """bulk_update without its CASE WHEN per row and field (nearly all of its time past a few hundred rows):
    one UPDATE … FROM (VALUES …) per batch, each value typed by its column. Row triggers (history) run as for
    bulk_update; auto_now fields are written as the instances hold them (set them first)."""
    if not objets:
        return 0
    meta, q = modele._meta, connection.ops.quote_name
    colonnes = [meta.pk, *(meta.get_field(nom) for nom in champs)]
    rangee = "(" + ", ".join(f"%s::{c.db_type(connection)}" for c in colonnes) + ")"
    poser = ", ".join(f"{q(c.column)} = v.{q(c.column)}" for c in colonnes[1:])
    noms = ", ".join(q(c.column) for c in colonnes)
    lot = 60_000 // len(colonnes)  # PostgreSQL takes at most 65 535 parameters per statement
    with connection.cursor() as curseur:
        for debut in range(0, len(objets), lot):
            tranche = objets[debut:debut + lot]
            parametres = [c.get_db_prep_save(getattr(o, c.attname), connection) for o in tranche for c in colonnes]
            curseur.execute(f"UPDATE {q(meta.db_table)} AS t SET {poser} FROM (VALUES {', '.join([rangee] * len(tranche))}) "
                            f"AS v ({noms}) WHERE t.{q(meta.pk.column)} = v.{q(meta.pk.column)}", parametres)
    _signaler(modele)
    return len(objets)


@contextmanager
def horodatage_libre(*modeles):
    """While inside, `inserer` keeps the created_at / updated_at set on the instances (history, demo data)
    instead of the batch's instant."""
    champs = [c for m in modeles for c in m._meta.concrete_fields
              if getattr(c, "auto_now", False) or getattr(c, "auto_now_add", False)]
    etats = [(c.auto_now, c.auto_now_add) for c in champs]
    for c in champs:
        c.auto_now = c.auto_now_add = False
    try:
        yield
    finally:
        for c, (auto_now, auto_now_add) in zip(champs, etats, strict=True):
            c.auto_now, c.auto_now_add = auto_now, auto_now_add


def inserer_historise(modele, objets: list) -> list:
    """`inserer` for a large batch of a pghistory-tracked model: the per-row history trigger is switched off
    for the COPY (inside the caller's transaction), then the batch's "insert" history rows are written by one
    INSERT … SELECT, dated by each row's created_at rather than by now (records given their past)."""
    import pghistory.models
    from django.apps import apps

    if not objets:
        return objets
    evenement = next((m for m in apps.get_models() if issubclass(m, pghistory.models.Event)
                      and getattr(m, "pgh_tracked_model", None) is modele), None)
    if evenement is None:
        return inserer(modele, objets)
    q = connection.ops.quote_name
    table = q(modele._meta.db_table)
    with connection.cursor() as curseur:
        # ALTER TABLE refuses pending deferred checks: the foreign keys are checked as rows come, then deferred again.
        curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        curseur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            inserer(modele, objets)
        finally:
            curseur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            curseur.execute("SET CONSTRAINTS ALL DEFERRED")
        colonnes = [c.column for c in evenement._meta.concrete_fields if not c.name.startswith("pgh_")]
        liste = ", ".join(q(c) for c in colonnes)
        curseur.execute(
            f"INSERT INTO {q(evenement._meta.db_table)} ({liste}, pgh_created_at, pgh_label, pgh_obj_id) "
            f"SELECT {liste}, {'created_at' if 'created_at' in colonnes else 'NOW()'}, 'insert', id "
            f"FROM {table} WHERE id = ANY(%s)", [[o.pk for o in objets]])
    return objets
