from crispy_forms.helper import FormHelper
from django import forms

from qualite.organisation import access
from qualite.organisation.models import Etablissement, Service
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import DateInput
from usagers.impact.models import CampagneImpact, Grille
from usagers.relations.models import MembreCDU


class CampagneImpactForm(FormulaireCreationUnique, FormulaireRevise, DatesBornees, forms.ModelForm):
    class Meta:
        model = CampagneImpact
        fields = ["etablissement", "titre", "grille", "avant_le", "apres_le", "cohorte"]
        widgets = {"avant_le": DateInput(), "apres_le": DateInput(), "cohorte": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        etabs = access.perimetre(user, "impact.gerer").etablissements
        self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=etabs)
        if len(etabs) == 1 and not self.is_bound and not self.instance.pk:
            self.initial["etablissement"] = next(iter(etabs))
        self.fields["grille"].queryset = Grille.objects.filter(type=Grille.Type.IMPACT)
        self.fields["cohorte"].queryset = MembreCDU.objects.filter(etablissement_id__in=etabs, role__in=MembreCDU.ROLES_RU,
                                                                   actif=True).select_related("etablissement")
        self.fields["cohorte"].required = False
        if self.instance.pk:
            self.initial["cohorte"] = list(self.instance.cohorte.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        if data.get("avant_le") and data.get("apres_le") and data["apres_le"] <= data["avant_le"]:
            self.add_error("apres_le", "La mesure après suit la mesure avant.")
        etab = data.get("etablissement")
        for m in data.get("cohorte") or []:
            if etab and m.etablissement_id != etab.pk:
                self.add_error("cohorte", f"{m} est représentant d'un autre établissement.")
        return data


class _Reponses(forms.Form):
    """One radio question per item of a grid, answered on the grid's scale."""

    def _questions(self, grille, initiales: dict[int, int]):
        choix = [(str(v), lib) for v, lib in grille.echelle]
        self.themes = []
        for theme in grille.themes.prefetch_related("items"):
            noms = []
            for item in theme.items.all():
                nom = f"item_{item.pk}"
                self.fields[nom] = forms.TypedChoiceField(
                    label=f"{item.numero} {item.texte}", choices=choix, coerce=int, widget=forms.RadioSelect,
                    error_messages={"required": "Choisissez une réponse."})
                if item.pk in initiales:
                    self.initial[nom] = str(initiales[item.pk])
                noms.append(nom)
            self.themes.append((theme, noms))

    def valeurs(self) -> dict[int, int]:
        return {int(nom.removeprefix("item_")): v for nom, v in self.cleaned_data.items() if nom.startswith("item_")}

    def themes_champs(self):
        return [(theme, [self[nom] for nom in noms]) for theme, noms in self.themes]


class ReponsesImpactForm(_Reponses):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, grille, initiales: dict[int, int], revision: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._questions(grille, initiales)
        self.fields["revision"].initial = revision


class CampagneBientraitanceForm(FormulaireCreationUnique, forms.Form):
    """A plain form, not a ModelForm: the one-per-service-and-year rule is the service's, checked after the
    creation key, so that a replayed form finds the campaign it created instead of an error."""

    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.none())
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100,
                               error_messages={"min_value": "Année entre 2000 et 2100.", "max_value": "Année entre 2000 et 2100."})
    grille = forms.ModelChoiceField(label="Grille", queryset=Grille.objects.filter(type=Grille.Type.BIENTRAITANCE))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        perimetre = access.perimetre(user, "bientraitance.gerer")
        self.fields["service"].queryset = perimetre.filtrer(
            Service.objects.select_related("pole__etablissement"), etablissement="pole__etablissement_id",
            pole="pole_id", service="pk").order_by("pole__etablissement__nom", "nom")
        grilles = self.fields["grille"].queryset
        if not self.is_bound and grilles.count() == 1:
            self.initial["grille"] = grilles.get().pk

    def donnees(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "cle_creation"}


class ReponsesBientraitanceForm(_Reponses):
    participants = forms.CharField(label="Équipe ayant répondu (fonctions, sans nom de patient)", required=False,
                                   widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, campagne, initiales: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self._questions(campagne.grille, initiales)
        self.fields["revision"].initial = campagne.revision
        self.fields["participants"].initial = campagne.participants
