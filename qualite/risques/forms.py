from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from qualite.organisation.models import Pole, Service, Utilisateur
from qualite.outils.formulaires import etablissement_du_formulaire
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import DateInput
from qualite.risques import domaines
from qualite.risques.models import Cotation, FamilleRisque, NiveauEchelle, Risque


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class RisqueForm(FormulaireCreationUnique, FormulaireRevise, DatesBornees, forms.ModelForm):
    """Choices come from the établissements the user may change; the model's clean() checks they agree."""

    class Meta:
        model = Risque
        fields = ["etablissement", "titre", "famille", "processus", "pole", "service", "description", "pilote",
                  "barrieres", "archive_le"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "barrieres": forms.Textarea(attrs={"rows": 4}),
                   "archive_le": DateInput()}

    def __init__(self, *args, etablissements, **kwargs):
        super().__init__(*args, **kwargs)
        etabs = etablissement_du_formulaire(self, etablissements)
        if not self.instance.pk:
            del self.fields["archive_le"]  # a risk is archived once it has been followed
        self.fields["famille"].queryset = FamilleRisque.objects.filter(etablissement_id__in=etabs, actif=True) \
            .select_related("etablissement")
        self.fields["processus"].queryset = domaines.Processus().objects.filter(etablissement_id__in=etabs)
        self.fields["pole"].queryset = Pole.objects.filter(etablissement_id__in=etabs)
        self.fields["service"].queryset = Service.objects.filter(pole__etablissement_id__in=etabs).select_related("pole")
        self.fields["pilote"].queryset = Utilisateur.objects.filter(etablissements__in=etabs, is_active=True).distinct()
        self.fields["famille"].help_text = "Les familles se configurent par établissement (Programme qualité › Familles de risques)."
        self.helper = _helper()


def _choix(echelle: str):
    return [(n.valeur, str(n)) for n in NiveauEchelle.objects.filter(echelle=echelle)]


class CotationForm(FormulaireCreationUnique, DatesBornees, forms.ModelForm):
    class Meta:
        model = Cotation
        fields = ["date", "frequence", "gravite", "maitrise", "commentaire"]
        widgets = {"date": DateInput(), "commentaire": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        for champ in ("frequence", "gravite", "maitrise"):
            libelle = self.fields[champ].label
            self.fields[champ] = forms.TypedChoiceField(label=libelle, coerce=int, choices=_choix(champ))
        self.fields["maitrise"].help_text = "Niveau de maîtrise des barrières existantes : il donne la criticité résiduelle."
        self.helper = _helper()


class ActionDepuisRisqueForm(FormulaireCreationUnique, DatesBornees, forms.Form):
    titre = forms.CharField(label="Action d'amélioration", max_length=255)
    echeance = forms.DateField(label="Échéance", required=False, widget=DateInput())


class LierActionForm(forms.Form):
    action = forms.CharField(label="N° de l'action du PAQSS", max_length=20,
                             help_text="Le numéro de l'action (ex. 42 ou ACT-42), dans le même établissement.")

    def clean_action(self):
        texte = self.cleaned_data["action"].strip().upper().removeprefix("ACT-")
        if not texte.isascii() or not texte.isdigit() or len(texte) > 18:
            raise forms.ValidationError("Indiquez le numéro de l'action (ex. 42).")
        return int(texte)


class LierEvenementForm(forms.Form):
    reference = forms.CharField(label="Référence de l'évènement", max_length=20, help_text="Ex. EI-2026-00042.")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirmer", "Confirmer"), ("ecarter", "Écarter")])
    revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class FamilleForm(FormulaireCreationUnique, FormulaireRevise, forms.ModelForm):
    class Meta:
        model = FamilleRisque
        fields = ["etablissement", "libelle", "description", "types_evenement", "actif"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "types_evenement": forms.CheckboxSelectMultiple}

    def __init__(self, *args, etablissements, **kwargs):
        super().__init__(*args, **kwargs)
        etablissement_du_formulaire(self, etablissements)
        self.fields["types_evenement"].queryset = domaines.TypeEvenement().objects.filter(actif=True)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        etab = data.get("etablissement") or (self.instance.etablissement if self.instance.etablissement_id else None)
        libelle = data.get("libelle")
        if etab and libelle and FamilleRisque.objects.filter(etablissement=etab, libelle__iexact=libelle.strip()) \
                .exclude(pk=self.instance.pk).exists():
            self.add_error("libelle", "Cet établissement a déjà une famille de ce nom.")
        return data

