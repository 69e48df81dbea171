from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q

from qualite.espaces.models import DecisionReunion, EspaceEchanges, PresenceReunion, ReunionEspace
from qualite.organisation.models import Pole, Service, Utilisateur
from qualite.organisation.roles import Role
from qualite.outils.formulaires import etablissement_du_formulaire
from qualite.outils.parametres import DatesBornees, borner_dates
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import ChoixCherchable, DateInput

NOMBRE_DATES = 12


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class EspaceForm(FormulaireCreationUnique, FormulaireRevise, forms.ModelForm):
    class Meta:
        model = EspaceEchanges
        fields = ["nom", "etablissement", "pole", "services", "binome_medecin", "binome_cadre", "membres", "charte",
                  "lettre_missions", "actif"]
        widgets = {"services": ChoixCherchable(), "membres": ChoixCherchable()}

    def __init__(self, *args, etablissements, **kwargs):
        from qualite.documents.models import Document

        super().__init__(*args, **kwargs)
        etabs = etablissement_du_formulaire(self, etablissements)
        self.fields["pole"].queryset = Pole.objects.filter(etablissement_id__in=etabs).select_related("etablissement")
        self.fields["services"].queryset = Service.objects.filter(pole__etablissement_id__in=etabs).select_related("pole")
        comptes = Utilisateur.objects.filter(etablissements__in=etabs, is_active=True).distinct().order_by(
            "last_name", "first_name")
        for champ in ("binome_medecin", "binome_cadre", "membres"):
            self.fields[champ].queryset = comptes
        documents = Document.objects.filter(etablissement_id__in=etabs)
        self.fields["charte"].queryset = documents
        self.fields["lettre_missions"].queryset = documents
        self.helper = _helper()

    def clean(self):
        donnees = super().clean()
        pole, services = donnees.get("pole"), donnees.get("services")
        if pole and services and any(s.pole_id != pole.pk for s in services):
            self.add_error("services", "Choisissez des services du pôle de l'espace.")
        return donnees


class PlanifierForm(forms.Form):
    """The year's meetings at once: as many dates as needed, all recorded or none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, NOMBRE_DATES + 1):
            self.fields[f"date_{i}"] = forms.DateField(label=f"Réunion {i}", required=False, widget=DateInput())
        borner_dates(self.fields)
        self.helper = _helper()

    def dates(self) -> list:
        return [d for i in range(1, NOMBRE_DATES + 1) if (d := self.cleaned_data.get(f"date_{i}"))]

    def clean(self):
        donnees = super().clean()
        if not self.errors and not self.dates():
            raise forms.ValidationError("Indiquez au moins une date de réunion.")
        vues = {}
        for i in range(1, NOMBRE_DATES + 1):
            d = donnees.get(f"date_{i}")
            if d and d in vues:
                self.add_error(f"date_{i}", f"Même date que la réunion {vues[d]}.")
            elif d:
                vues[d] = i
        return donnees


class SuccesForm(DatesBornees, forms.Form):
    date = forms.DateField(widget=DateInput())
    titre = forms.CharField(label="Succès", max_length=255)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ElementForm(forms.Form):
    titre = forms.CharField(label="Point à ajouter", max_length=255)
    resume = forms.CharField(label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AnnulerForm(forms.Form):
    motif_annulation = forms.CharField(label="Motif de l'annulation", max_length=255)


class CompteRenduForm(FormulaireRevise, forms.ModelForm):
    """The minutes and the attendance: one choice per member, invited representatives (accounts) and
    partner patients or other guests (names)."""

    STATUTS = [("", "Absent"), (PresenceReunion.Statut.PRESENT, "Présent"), (PresenceReunion.Statut.EXCUSE, "Excusé")]

    valider = forms.BooleanField(label="Valider le compte rendu (la réunion est tenue ; plus de modification ensuite)",
                                 required=False)
    representants = forms.ModelMultipleChoiceField(label="Représentants des usagers invités et présents",
                                                   queryset=Utilisateur.objects.none(), required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    patients_partenaires = forms.CharField(label="Patients partenaires présents", required=False,
                                           widget=forms.Textarea(attrs={"rows": 2}), help_text="Un nom par ligne.")
    autres_invites = forms.CharField(label="Autres invités présents", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}), help_text="Un nom par ligne.")

    class Meta:
        model = ReunionEspace
        fields = ["compte_rendu"]
        widgets = {"compte_rendu": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, membres, **kwargs):
        super().__init__(*args, **kwargs)
        reunion = self.instance
        actuelles = {p.utilisateur_id: p for p in reunion.presences.all() if p.utilisateur_id}
        self.membres = membres
        for m in membres:
            p = actuelles.get(m.pk)
            self.fields[f"membre_{m.pk}"] = forms.ChoiceField(
                label=str(m), choices=self.STATUTS, required=False,
                initial=p.statut if p and p.qualite == PresenceReunion.Qualite.MEMBRE else "")
        self.fields["representants"].queryset = Utilisateur.objects.filter(
            etablissements=reunion.espace.etablissement_id, roles__contains=[Role.REPRESENTANT_USAGERS],
            is_active=True).order_by("last_name", "first_name")
        self.fields["representants"].initial = [u for u, p in actuelles.items()
                                                if p.qualite == PresenceReunion.Qualite.REPRESENTANT]
        noms = {q: "\n".join(p.nom for p in reunion.presences.all() if p.qualite == q and not p.utilisateur_id)
                for q in (PresenceReunion.Qualite.PATIENT_PARTENAIRE, PresenceReunion.Qualite.INVITE)}
        self.fields["patients_partenaires"].initial = noms[PresenceReunion.Qualite.PATIENT_PARTENAIRE]
        self.fields["autres_invites"].initial = noms[PresenceReunion.Qualite.INVITE]
        self.helper = _helper()

    def presences(self) -> list[dict]:
        d = self.cleaned_data
        lignes = [{"utilisateur": m, "qualite": PresenceReunion.Qualite.MEMBRE, "statut": d[f"membre_{m.pk}"]}
                  for m in self.membres if d.get(f"membre_{m.pk}")]
        lignes += [{"utilisateur": u, "qualite": PresenceReunion.Qualite.REPRESENTANT} for u in d["representants"]]
        for champ, qualite in (("patients_partenaires", PresenceReunion.Qualite.PATIENT_PARTENAIRE),
                               ("autres_invites", PresenceReunion.Qualite.INVITE)):
            lignes += [{"nom": nom.strip()[:200], "qualite": qualite} for nom in d[champ].splitlines() if nom.strip()]
        return lignes


class DecisionForm(DatesBornees, forms.ModelForm):
    class Meta:
        model = DecisionReunion
        fields = ["texte", "service", "responsable", "echeance"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 2}), "echeance": DateInput()}

    def __init__(self, *args, espace, **kwargs):
        super().__init__(*args, **kwargs)
        services = espace.services.all()
        self.fields["service"].queryset = (services if services.exists()
                                           else Service.objects.filter(pole_id=espace.pole_id))
        # The people of the space and of its pôle: an action of the service is theirs to carry.
        du_pole = Q(pole_id=espace.pole_id) | Q(pk__in=[espace.binome_medecin_id, espace.binome_cadre_id])
        self.fields["responsable"].queryset = Utilisateur.objects.filter(
            du_pole | Q(pk__in=espace.membres.values("pk")), etablissements=espace.etablissement_id,
            is_active=True).distinct().order_by("last_name", "first_name")
        self.helper = _helper()
