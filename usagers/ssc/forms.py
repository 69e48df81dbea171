from crispy_forms.helper import FormHelper
from django import forms

from qualite.organisation import access
from qualite.organisation.models import Service
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import DateInput, DateTimeInput
from usagers.ssc.calendrier import TypeActe as _T
from usagers.ssc.models import (
    ActeMesure,
    DecisionJugeIsolement,
    DocumentAdmission,
    EvaluationIsolement,
    MesureIsolement,
    MesureSoinsSansConsentement,
    PatientSSC,
)


class _SansBalise(DatesBornees):
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class AdmissionForm(_SansBalise, forms.ModelForm):
    ipp = forms.CharField(label="IPP", max_length=30)
    nom = forms.CharField(max_length=120)
    prenom = forms.CharField(label="Prénom", max_length=120)
    date_naissance = forms.DateField(label="Date de naissance", widget=DateInput())

    class Meta:
        model = MesureSoinsSansConsentement
        fields = ["ipp", "nom", "prenom", "date_naissance", "service", "mode", "t0", "tiers_nom", "tiers_lien"]
        widgets = {"t0": DateTimeInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            actif=True, pole__etablissement_id__in=access.etablissements_visibles(user)
        ).select_related("pole")
        self._helper()

    def clean(self):
        data = super().clean()
        if data.get("mode") in ("sdt", "sdt_urgence") and not (data.get("tiers_nom") and data.get("tiers_lien")):
            self.add_error("tiers_nom", "Une admission à la demande d'un tiers exige l'identité du tiers et son lien avec le patient.")
        return data

    def patient(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("ipp", "nom", "prenom", "date_naissance")}

    def mesure(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("mode", "t0", "tiers_nom", "tiers_lien")}


class DocumentForm(_SansBalise, forms.ModelForm):
    prefix = "piece"  # three forms share the measure page: distinct ids keep labels tied to their field
    class Meta:
        model = DocumentAdmission
        fields = ["type", "date", "auteur", "medecin_exterieur", "psychiatre_etablissement"]
        widgets = {"date": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


# The fields each act asks for, beyond its date, author and comment; the conclusions it may carry.
CHAMPS_GESTE = {
    _T.CERTIFICAT_24H: ("psychiatre_etablissement", "conclusion"),
    _T.CERTIFICAT_72H: ("psychiatre_etablissement", "conclusion", "forme"),
    _T.CERTIFICAT_MENSUEL: ("psychiatre_etablissement", "conclusion"),
    _T.DECISION_FORME: ("forme",),
    _T.DECISION_JUGE: ("conclusion",),
}
CONCLUSIONS_GESTE = {_T.DECISION_JUGE: ("maintien", "mainlevee")}
CONCLUSIONS_CERTIFICAT = ("maintien", "fin")


class ActeForm(FormulaireCreationUnique, _SansBalise, forms.ModelForm):
    prefix = "acte"
    class Meta:
        model = ActeMesure
        fields = ["type", "date_heure", "auteur", "psychiatre_etablissement", "conclusion", "forme", "commentaire"]
        widgets = {"date_heure": DateTimeInput(), "commentaire": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, types: list[str] | None = None, geste: str | None = None, **kwargs):
        """`types`: the act types this user may record on this measure (usagers.ssc.access). `geste`: the one
        act this form records (a button of the page): its type is fixed, and only its own fields are asked."""
        super().__init__(*args, **kwargs)
        if types is not None:
            self.fields["type"].choices = [(v, lib) for v, lib in self.fields["type"].choices if v in types or v == ""]
            self.fields["type"].error_messages["invalid_choice"] = (
                "Vous ne pouvez pas enregistrer ce type d'acte (réservé au bureau des admissions ou au psychiatre).")
        if geste:
            self.fields["type"].initial = geste
            self.fields["type"].widget = forms.HiddenInput()
            garder = {"type", "date_heure", "auteur", "commentaire", "cle_creation", *CHAMPS_GESTE.get(geste, ())}
            for nom in [n for n in self.fields if n not in garder]:
                del self.fields[nom]
            if "conclusion" in self.fields:
                permises = CONCLUSIONS_GESTE.get(geste, CONCLUSIONS_CERTIFICAT)
                self.fields["conclusion"].choices = [(v, lib) for v, lib in self.fields["conclusion"].choices
                                                     if v in permises or v == ""]
            if "psychiatre_etablissement" in self.fields:
                self.fields["psychiatre_etablissement"].initial = True
            if geste == _T.DECISION_FORME:
                self.fields["forme"].required = True
        self._helper()


class AnnulationForm(forms.Form):
    motif = forms.CharField(label="Motif de l'annulation", max_length=255)


class IsolementForm(FormulaireRevise, _SansBalise, forms.ModelForm):
    prefix = "iso"
    class Meta:
        model = MesureIsolement
        fields = ["type", "psychiatre", "debut", "fin", "surveillance", "motif", "juge_informe_le", "proche_informe_le",
                  "juge_saisi_le"]
        widgets = {"debut": DateTimeInput(), "fin": DateTimeInput(), "juge_informe_le": DateTimeInput(),
                   "proche_informe_le": DateTimeInput(), "juge_saisi_le": DateTimeInput(), "surveillance": forms.Textarea(attrs={"rows": 2}),
                   "motif": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


__all__ = ["AdmissionForm", "DocumentForm", "ActeForm", "AnnulationForm", "IsolementForm", "EvaluationForm", "PatientSSC"]


class DecisionJugeIsolementForm(_SansBalise, forms.ModelForm):
    prefix = "juge"

    class Meta:
        model = DecisionJugeIsolement
        fields = ["type", "date_heure", "maintien"]
        widgets = {"date_heure": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class EvaluationForm(FormulaireCreationUnique, _SansBalise, forms.ModelForm):
    prefix = "eval"

    class Meta:
        model = EvaluationIsolement
        fields = ["date_heure", "psychiatre", "observations"]
        widgets = {"date_heure": DateTimeInput(), "observations": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
