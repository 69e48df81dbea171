from crispy_forms.helper import FormHelper
from django import forms

from qualite.identite.models import CorrespondanceGroupe
from qualite.organisation.forms import RolesField
from qualite.outils.revisions import FormulaireRevise


class CorrespondanceForm(FormulaireRevise, forms.ModelForm):
    roles = RolesField()

    class Meta:
        model = CorrespondanceGroupe
        fields = ["source", "groupe", "libelle", "roles", "etablissements", "pole", "perimetre_ght", "actif"]
        widgets = {"etablissements": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pole"].queryset = self.fields["pole"].queryset.select_related("etablissement")
        self.fields["pole"].label_from_instance = lambda p: f"{p.etablissement} — {p.nom}"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_groupe(self):
        groupe = self.cleaned_data["groupe"].strip()
        if not groupe:
            raise forms.ValidationError("Indiquez le groupe.")
        return groupe

    def clean(self):
        donnees = super().clean()
        pole, etablissements = donnees.get("pole"), donnees.get("etablissements")
        if pole is not None and etablissements is not None and pole.etablissement not in etablissements:
            self.add_error("pole", "Ce pôle n'appartient à aucun des établissements choisis.")
        if not donnees.get("roles") and donnees.get("actif"):
            self.add_error("roles", "Choisissez au moins un rôle.")
        return donnees

    def validate_unique(self):
        # The unique constraint compares the group case-insensitively: said in French, next to the field.
        groupe, source = self.cleaned_data.get("groupe"), self.cleaned_data.get("source")
        if groupe and source:
            autres = CorrespondanceGroupe.objects.filter(source=source, groupe__iexact=groupe)
            if self.instance.pk:
                autres = autres.exclude(pk=self.instance.pk)
            if autres.exists():
                self.add_error("groupe", "Ce groupe a déjà une correspondance pour cette source.")


class JetonForm(forms.Form):
    nom = forms.CharField(label="Nom du jeton", max_length=100,
                          help_text="À quoi il sert : « entrepôt de données », « tableau de bord du pôle »…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_nom(self):
        nom = self.cleaned_data["nom"].strip()
        if not nom:
            raise forms.ValidationError("Donnez un nom au jeton.")
        return nom
