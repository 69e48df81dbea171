from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError


def erreurs_vers_formulaire(form, exc: ValidationError) -> None:
    """A service's ValidationError shown where the user looks: under its field, else at the form's top."""
    from qualite.outils.revisions import ConflitDeRevision

    if isinstance(exc, ConflitDeRevision):  # the next submission, made knowingly, is at the current revision
        form.data = form.data.copy()
        form.data[form.add_prefix("revision")] = exc.revision
    if hasattr(exc, "error_dict"):
        for champ, erreurs in exc.error_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        form.add_error(None, exc.messages)


class ImportForm(forms.Form):
    registre = forms.ChoiceField(label="Registre")
    fichier = forms.FileField(label="Fichier", help_text="CSV (séparateur « ; » ou « , », UTF-8 ou Windows-1252) ou Excel .xlsx.")

    def __init__(self, *args, registres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registre"].choices = [(r.code, r.libelle) for r in registres]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_fichier(self):
        from django.conf import settings

        fichier = self.cleaned_data["fichier"]
        if fichier.size > settings.IMPORT_TAILLE_MAX:
            raise forms.ValidationError(f"Fichier trop volumineux ({settings.IMPORT_TAILLE_MAX // (1024 * 1024)} Mo au plus).")
        if not fichier.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("Format attendu : .csv ou .xlsx.")
        return fichier


def etablissement_du_formulaire(form, etablissements) -> list[int]:
    """A record's établissement on its form: one of the user's (`etablissements`), preset when there is only
    one, fixed once the record exists. Returns the établissements its other choices are drawn from."""
    from qualite.organisation.models import Etablissement

    etabs = [form.instance.etablissement_id] if form.instance.pk else list(etablissements)
    form.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=etabs)
    if form.instance.pk:
        form.fields["etablissement"].disabled = True
    elif len(etabs) == 1:
        form.fields["etablissement"].initial = etabs[0]
    return etabs
