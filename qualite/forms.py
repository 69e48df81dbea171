from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm
from django.core.validators import MaxLengthValidator

from .models import ActionAmelioration, Pole, Service, Utilisateur
from .parametres import DatesBornees
from .roles import Role


class RolesField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Role.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Rôles")
        super().__init__(**kwargs)


class UtilisateurChangeForm(UserChangeForm):
    roles = RolesField()

    class Meta(UserChangeForm.Meta):
        model = Utilisateur
        fields = "__all__"


class UtilisateurCreationForm(AdminUserCreationForm):
    """The admin's "add user" form: AdminUserCreationForm carries the "usable_password" choice
    that Django's UserAdmin.add_fieldsets names since 5.1."""

    roles = RolesField()

    class Meta(AdminUserCreationForm.Meta):
        model = Utilisateur
        fields = ("username", "first_name", "last_name", "email", "roles")


class ConnexionForm(AuthenticationForm):
    """AuthenticationForm sets the username's max_length after the field is built, without its validator:
    a 5,000-character name reached authenticate() and the lockout table (varchar 255)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        champ = self.fields["username"]
        champ.validators.append(MaxLengthValidator(champ.max_length))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionForm(DatesBornees, forms.ModelForm):
    """The plan's fields of one action; status moves have their own form."""

    efficace = forms.TypedChoiceField(
        label="Action efficace ?", required=False, empty_value=None,
        choices=[("", "Non évaluée"), ("true", "Oui"), ("false", "Non")],
        coerce=lambda v: {"true": True, "false": False}.get(v),
    )

    class Meta:
        model = ActionAmelioration
        fields = ["titre", "description", "pole", "service", "responsable", "echeance", "priorite", "avancement",
                  "preuves", "verification_efficacite", "efficace", "verifiee_le"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "preuves": forms.Textarea(attrs={"rows": 3}),
            "verification_efficacite": forms.Textarea(attrs={"rows": 2}),
            "echeance": DateInput(),
            "verifiee_le": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        etab = self.instance.etablissement_id
        self.fields["pole"].queryset = Pole.objects.filter(etablissement_id=etab)
        self.fields["service"].queryset = Service.objects.filter(pole__etablissement_id=etab).select_related("pole")
        self.fields["responsable"].queryset = Utilisateur.objects.filter(etablissements=etab, is_active=True)
        self.fields["avancement"].widget.attrs.update(min=0, max=100)
        if self.instance.efficace is not None:
            self.initial["efficace"] = "true" if self.instance.efficace else "false"
        self.helper = FormHelper()
        self.helper.form_tag = False


class ActionStatutForm(forms.Form):
    vers = forms.ChoiceField(label="Nouveau statut", choices=[])
    motif = forms.CharField(label="Motif (si abandon)", max_length=255, required=False)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vers"].choices = [(s, ActionAmelioration.Statut(s).label) for s in action.transitions_possibles()]


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
