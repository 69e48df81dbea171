"""The history triggers' helper, without its error.

pghistory's _pgh_attach_context() reads its settings inside an EXCEPTION block and, outside a
pghistory.context(), fails and catches the failure on every tracked row. Each caught error rolls back
a subtransaction, and PostgreSQL rescans the queue of pending (deferred) trigger events at each
rollback: a long import grew quadratically. current_setting(name, true) gives NULL instead of failing,
so no block, no error, no rescan. Same result: the context's id when one is set, NULL otherwise.
Installed after pghistory's own migrations (its 0007 installs its version); PGHISTORY_INSTALL_CONTEXT_FUNC_ON_MIGRATE
stays False so nothing reinstalls the old one."""

from django.db import migrations

FONCTION = """
CREATE OR REPLACE FUNCTION _pgh_attach_context()
RETURNS UUID AS $$
    DECLARE
        _pgh_context_id TEXT := NULLIF(CURRENT_SETTING('pghistory.context_id', true), '');
        _pgh_context_metadata TEXT := NULLIF(CURRENT_SETTING('pghistory.context_metadata', true), '');
    BEGIN
        IF _pgh_context_id IS NULL OR _pgh_context_metadata IS NULL THEN
            RETURN NULL;
        END IF;
        INSERT INTO pghistory_context (id, metadata, created_at, updated_at)
            VALUES (_pgh_context_id::uuid, _pgh_context_metadata::jsonb, NOW(), NOW())
            ON CONFLICT (id) DO UPDATE
                SET metadata = EXCLUDED.metadata,
                    updated_at = EXCLUDED.updated_at
                WHERE pghistory_context.metadata != EXCLUDED.metadata;
        RETURN _pgh_context_id::uuid;
    END;
$$ LANGUAGE plpgsql;
"""


def installer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as curseur:
            curseur.execute(FONCTION)


def revenir(apps, schema_editor):
    from pghistory.models import Context

    Context.install_pgh_attach_context_func(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0002_creationunique_remove_etablissement_insert_insert_and_more"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [migrations.RunPython(installer, revenir)]
