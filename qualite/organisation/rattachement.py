"""The one rule of a record's place in the organisation, used by every model's clean() and every form that
picks an établissement, a pôle, a service or a person: a pôle is one of the établissement's, a service one of
the pôle's (or, with no pôle given, of the établissement's), a person works in the établissement."""

from __future__ import annotations

POLE = "Ce pôle n'appartient pas à l'établissement choisi."
SERVICE_POLE = "Ce service n'appartient pas au pôle choisi."
SERVICE_ETABLISSEMENT = "Ce service n'appartient pas à l'établissement choisi."
PERSONNE = "Cette personne n'exerce pas dans l'établissement choisi."


def erreurs_de_rattachement(etablissement_id: int | None, *, pole=None, service=None,
                            personnes: dict | None = None) -> dict[str, str]:
    """{field: French message} for each link that breaks the rule; empty when the record's place is sound.
    `personnes` maps a field name to a user (responsable, pilote…); None values are skipped."""
    erreurs = {}
    if pole is not None and etablissement_id and pole.etablissement_id != etablissement_id:
        erreurs["pole"] = POLE
    if service is not None:
        if pole is not None and service.pole_id != pole.pk:
            erreurs["service"] = SERVICE_POLE
        elif pole is None and etablissement_id and service.pole.etablissement_id != etablissement_id:
            erreurs["service"] = SERVICE_ETABLISSEMENT
    for champ, personne in (personnes or {}).items():
        if personne is not None and etablissement_id and not personne.etablissements.filter(
                pk=etablissement_id).exists():
            erreurs[champ] = PERSONNE
    return erreurs


def rattachement_au_formulaire(form, etablissement, **liens) -> None:
    """The rule's errors under the form's fields (at the form's top for a field it does not show)."""
    for champ, message in erreurs_de_rattachement(getattr(etablissement, "pk", etablissement), **liens).items():
        form.add_error(champ if champ in form.fields else None, message)
