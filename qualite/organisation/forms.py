from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm
from django.core.validators import MaxLengthValidator

from qualite.organisation.models import Utilisateur
from qualite.organisation.roles import Role


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
        if not settings.CONNEXION_LOCALE:
            # Local passwords off (CONNEXION_LOCALE=0): say where to log in instead of "wrong password".
            self.error_messages = {**self.error_messages, "invalid_login": (
                "Les mots de passe propres à l'application sont désactivés : connectez-vous avec le bouton "
                "ci-dessus (ou avec votre identifiant de l'annuaire). Seul le compte administrateur de secours "
                "garde un mot de passe local.")}
