from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils import timezone

from evenements.models import (
    AnalyseApprofondie,
    CategorieALARM,
    DeclarationARS,
    EvenementIndesirable,
    Gravite,
    PersonneConcernee,
    RevueExperience,
    Statut,
    TypeEvenement,
)
from qualite.organisation import access
from qualite.organisation.models import Service
from qualite.organisation.rattachement import rattachement_au_formulaire
from qualite.outils.dates import dans_le_futur
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import ChoixCherchable, DateInput, DateTimeInput


class _Helper(DatesBornees):
    """Crispy helper without <form> tag; every date bounded to 1900–2100."""

    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class DeclarationForm(FormulaireCreationUnique, _Helper, forms.ModelForm):
    personnes = forms.MultipleChoiceField(
        label="Qui a été touché ?", choices=PersonneConcernee.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = EvenementIndesirable
        fields = ["survenu_le", "service", "lieu", "type", "description", "personnes", "presque_accident",
                  "mesures_immediates", "consequences", "gravite_estimee", "confidentiel"]
        widgets = {
            "survenu_le": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "mesures_immediates": forms.Textarea(attrs={"rows": 2}),
            "consequences": forms.Textarea(attrs={"rows": 2}),
            "gravite_estimee": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            actif=True, pole__etablissement_id__in=access.etablissements_visibles(user)
        ).select_related("pole", "pole__etablissement").order_by("pole__etablissement__nom", "pole__nom", "nom")
        self.fields["service"].label_from_instance = lambda s: f"{s.nom} ({s.pole.nom}, {s.pole.etablissement.nom})"
        self.fields["type"].queryset = TypeEvenement.objects.filter(actif=True)
        self.fields["gravite_estimee"].choices = Gravite.choices  # radio buttons: none ticked, no empty one
        if user.service_id and not self.is_bound:
            self.initial.setdefault("service", user.service_id)
        self.initial.setdefault("survenu_le", timezone.localtime().replace(second=0, microsecond=0))
        self._helper()

    def donnees(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("service", "cle_creation")}


class QualificationForm(FormulaireRevise, _Helper, forms.ModelForm):
    class Meta:
        model = EvenementIndesirable
        fields = ["gravite", "vraisemblance", "presque_accident", "inattendu", "deces", "mise_en_jeu_pronostic_vital",
                  "deficit_permanent", "est_eigs", "resume_anonymise"]
        widgets = {
            "resume_anonymise": forms.Textarea(attrs={"rows": 3}),
            "inattendu": forms.NullBooleanSelect,
            "est_eigs": forms.NullBooleanSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gravite"].required = True
        self.fields["vraisemblance"].required = True
        self._helper()


class PeriodeFHIRForm(_Helper, forms.Form):
    """The period of a FHIR bundle: both days required, in order, at most FHIR_PERIODE_MAX_JOURS long."""

    du = forms.DateField(label="Survenus du", widget=DateInput)
    au = forms.DateField(label="au", widget=DateInput)
    version = forms.ChoiceField(label="Version FHIR", choices=[("R5", "R5"), ("R4", "R4 (et R4B)")], initial="R5")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au:
            if au < du:
                self.add_error("au", "La fin de la période doit suivre son début.")
            elif (au - du).days + 1 > settings.FHIR_PERIODE_MAX_JOURS:
                self.add_error("au", f"La période ne peut dépasser {settings.FHIR_PERIODE_MAX_JOURS} jours : "
                                     "exportez-la en plusieurs fois.")
        return donnees


class TransitionForm(forms.Form):
    vers = forms.ChoiceField(label="Nouvel état", choices=Statut.choices)
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    motif = forms.CharField(label="Motif (classement sans suite)", required=False, max_length=255)

    def __init__(self, *args, evenement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vers"].choices = [(s, Statut(s).label) for s in evenement.transitions_possibles()]


class RetourForm(forms.Form):
    retour_declarant = forms.CharField(
        label="Retour au déclarant", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text="Le déclarant le lira dans « Mes déclarations ». N'y mettez pas de donnée nominative.",
    )


class DeclarationARSForm(FormulaireRevise, _Helper, forms.ModelForm):
    class Meta:
        model = DeclarationARS
        fields = ["nature", "circonstances", "premieres_mesures", "information_patient", "partie1_envoyee_le",
                  "prise_en_charge", "enseignements", "plan_actions", "partie2_envoyee_le"]
        widgets = {
            "partie1_envoyee_le": DateTimeInput(),
            "partie2_envoyee_le": DateTimeInput(),
            **{f: forms.Textarea(attrs={"rows": 3}) for f in
               ["nature", "circonstances", "premieres_mesures", "information_patient", "prise_en_charge",
                "enseignements", "plan_actions"]},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class AnalyseForm(FormulaireRevise, _Helper, forms.ModelForm):
    class Meta:
        model = AnalyseApprofondie
        fields = ["methode", "date", "participants", "chronologie", "causes_immediates", "causes_profondes",
                  "conclusions", "terminee"]
        widgets = {
            "date": DateInput(),
            **{f: forms.Textarea(attrs={"rows": 3}) for f in
               ["participants", "chronologie", "causes_immediates", "causes_profondes", "conclusions"]},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for cat in CategorieALARM:
            self.fields[f"facteurs_{cat.value}"] = forms.CharField(
                label=f"Facteurs — {cat.label}", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Un facteur par ligne.",
            )
            if self.instance.pk:
                self.initial[f"facteurs_{cat.value}"] = "\n".join(
                    f.description for f in self.instance.facteurs.actifs() if f.categorie == cat.value
                )
        self._helper()

    def clean_date(self):
        d = self.cleaned_data["date"]
        if dans_le_futur(d):
            raise forms.ValidationError("La date de l'analyse ne peut pas être dans le futur.")
        return d

    def donnees(self) -> dict:
        return self.a_ecrire(champs=self.Meta.fields)

    def facteurs(self) -> list[tuple[str, str]]:
        result = []
        for cat in CategorieALARM:
            for ligne in self.cleaned_data.get(f"facteurs_{cat.value}", "").splitlines():
                if ligne.strip():
                    result.append((cat.value, ligne.strip()[:500]))
        return result


class ActionForm(_Helper, forms.Form):
    titre = forms.CharField(label="Action corrective", max_length=255)
    echeance = forms.DateField(label="Échéance", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class RevueForm(_Helper, forms.ModelForm):
    class Meta:
        model = RevueExperience
        fields = ["type", "date", "etablissement", "service", "participants", "evenements", "conclusions"]
        widgets = {"date": DateInput(), "participants": forms.Textarea(attrs={"rows": 3}),
                   "conclusions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, evenements_qs, **kwargs):
        super().__init__(*args, **kwargs)
        visibles = access.etablissements_visibles(user)
        self.fields["etablissement"].queryset = self.fields["etablissement"].queryset.filter(pk__in=visibles)
        self.fields["service"].queryset = Service.objects.filter(pole__etablissement_id__in=visibles).select_related("pole")
        self.fields["evenements"].queryset = evenements_qs
        self.fields["evenements"].widget = ChoixCherchable()
        self._helper()

    def clean(self):
        data = super().clean()
        etab = data.get("etablissement")
        rattachement_au_formulaire(self, etab, service=data.get("service"))
        for ev in data.get("evenements") or []:
            if etab and ev.etablissement_id != etab.pk:
                self.add_error("evenements", f"L'évènement {ev.reference} relève d'un autre établissement.")
        return data
