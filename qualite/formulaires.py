from django.core.exceptions import ValidationError


def erreurs_vers_formulaire(form, exc: ValidationError) -> None:
    """A service's ValidationError shown where the user looks: under its field, else at the form's top."""
    if hasattr(exc, "error_dict"):
        for champ, erreurs in exc.error_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        form.add_error(None, exc.messages)
