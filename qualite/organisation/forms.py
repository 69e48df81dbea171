from django import forms
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

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


class UtilisateurCreationForm(UserCreationForm):
    roles = RolesField()

    class Meta(UserCreationForm.Meta):
        model = Utilisateur
        fields = ("username", "first_name", "last_name", "email", "roles")
