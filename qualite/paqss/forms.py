from crispy_forms.helper import FormHelper
from django import forms

from qualite.organisation.models import Pole, Service, Utilisateur
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireRevise
from qualite.outils.widgets import DateInput
from qualite.paqss.models import ActionAmelioration


class ActionForm(FormulaireRevise, DatesBornees, forms.ModelForm):
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
