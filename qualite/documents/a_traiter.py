"""The documents source of « À traiter »: diffused versions whose reading the user has not confirmed."""

from qualite.documents.selectors import a_lire
from qualite.organisation.a_traiter import Element, Source, enregistrer


def enregistrer_a_traiter() -> None:
    enregistrer(Source(
        "documents-a-lire", "Documents à lire", ("documents.voir",), a_lire,
        lambda v: Element(f"Lire « {v.document.titre} » et confirmer la lecture", v.document.get_type_display(),
                          v.document.get_absolute_url(), "Lire", detail=f"Version {v.numero}"), 90))
