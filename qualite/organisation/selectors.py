from qualite.organisation.models import AuditEntry


def journal_audit():
    return AuditEntry.objects.select_related("utilisateur", "content_type", "etablissement")
