from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q

from certification.models import (
    EPP,
    Audit,
    Autoevaluation,
    ConstatVisite,
    Critere,
    EnqueteSatisfaction,
    Evaluation,
    Indicateur,
    Processus,
    Referentiel,
    ValeurIndicateur,
    VisiteCertification,
)
from qualite.organisation import access
from qualite.organisation.models import Etablissement, Service
from qualite.organisation.rattachement import rattachement_au_formulaire
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import ChoixCherchable, DateInput
from qualite.paqss.models import ActionAmelioration


class _Helper(DatesBornees):
    """Crispy helper without <form> tag; every date bounded to 1900–2100."""

    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class EvaluationForm(_Helper, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["methode", "date", "etablissement", "service", "evaluateurs", "criteres", "constats"]
        widgets = {"date": DateInput(), "evaluateurs": forms.Textarea(attrs={"rows": 2}),
                   "constats": forms.Textarea(attrs={"rows": 4}), "criteres": ChoixCherchable()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visibles = access.etablissements_visibles(user)
        self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=visibles)
        self.fields["service"].queryset = Service.objects.filter(pole__etablissement_id__in=visibles).select_related("pole")
        self.fields["criteres"].queryset = Critere.objects.filter(referentiel__actif=True)
        self._helper()


class ActionDepuisConstatForm(_Helper, forms.Form):
    titre = forms.CharField(label="Action à mener", max_length=255)
    echeance = forms.DateField(label="Échéance", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class AutoevaluationForm(_Helper, forms.ModelForm):
    etablissement = forms.ModelChoiceField(label="Établissement", queryset=Etablissement.objects.none())

    class Meta:
        model = Autoevaluation
        fields = ["etablissement", "niveau", "commentaire", "actions", "evaluations"]
        widgets = {"commentaire": forms.Textarea(attrs={"rows": 3}),
                   "actions": ChoixCherchable(), "evaluations": ChoixCherchable()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visibles = [e for e in access.etablissements_visibles(user)]
        self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=visibles)
        self.fields["actions"].queryset = ActionAmelioration.objects.filter(etablissement_id__in=visibles)
        self.fields["evaluations"].queryset = Evaluation.objects.filter(etablissement_id__in=visibles)
        self._helper()

    def clean(self):
        data = super().clean()
        etab = data.get("etablissement")
        if etab:
            for champ in ("actions", "evaluations"):
                if any(o.etablissement_id != etab.pk for o in data.get(champ) or []):
                    self.add_error(champ, "Une preuve relève d'un autre établissement.")
        return data


class ValeurIndicateurForm(_Helper, forms.ModelForm):
    """Établissement-wide roles enter any value of their établissements; a cadre only his pôle's services."""

    class Meta:
        model = ValeurIndicateur
        fields = ["etablissement", "service", "periode", "valeur"]
        widgets = {"periode": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perimetre = access.perimetre(user, "indicateurs.saisir")
        self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=perimetre.etablissements)
        self.limite_pole = perimetre.portee != access.Portee.ETABLISSEMENT
        self.fields["service"].required = self.limite_pole
        self.fields["service"].queryset = perimetre.filtrer(
            Service.objects.select_related("pole"), etablissement="pole__etablissement_id", service="pk")
        self._helper()

    def clean(self):
        data = super().clean()
        rattachement_au_formulaire(self, data.get("etablissement"), service=data.get("service"))
        return data


class ReferentielImportForm(_Helper, forms.Form):
    fichier = forms.FileField(label="Fichier du référentiel",
                              help_text="CSV UTF-8, séparateur « ; », une ligne par critère (voir le fichier d'exemple).")
    version = forms.CharField(label="Version", max_length=50, help_text="Unique, ex. « 2025 » ou « v2025-09 ».")
    libelle = forms.CharField(label="Libellé", max_length=255, required=False,
                              help_text="Par défaut : la version.")
    activer = forms.BooleanField(label="En faire le référentiel actif (celui des nouvelles évaluations)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean_fichier(self):
        from django.conf import settings

        fichier = self.cleaned_data["fichier"]
        if fichier.size > settings.IMPORT_TAILLE_MAX:
            raise forms.ValidationError(f"Fichier trop volumineux ({settings.IMPORT_TAILLE_MAX // (1024 * 1024)} Mo au plus).")
        if not fichier.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Format attendu : .csv (UTF-8, séparateur « ; »).")
        return fichier

    def clean_version(self):
        from certification.models import Referentiel

        version = self.cleaned_data["version"].strip()
        if Referentiel.objects.filter(version=version).exists():
            raise forms.ValidationError(f"La version « {version} » existe déjà : choisissez un autre numéro de version.")
        return version


class VisiteForm(FormulaireCreationUnique, FormulaireRevise, _Helper, forms.ModelForm):
    class Meta:
        model = VisiteCertification
        fields = ["etablissement", "referentiel", "type", "date_debut", "date_fin", "experts", "decision",
                  "decision_le", "commentaire"]
        widgets = {"date_debut": DateInput(), "date_fin": DateInput(), "decision_le": DateInput(),
                   "experts": forms.Textarea(attrs={"rows": 2}), "commentaire": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        gerer = access.perimetre(user, "certification.gerer").etablissements
        self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=gerer)
        self.fields["referentiel"].queryset = Referentiel.objects.all()
        if not self.instance.pk:
            self.fields["referentiel"].initial = Referentiel.objects.filter(actif=True).values_list("pk", flat=True).first()
        else:  # fixed once recorded
            self.fields["etablissement"].disabled = self.fields["referentiel"].disabled = True
        self._helper()


class ConstatVisiteForm(_Helper, forms.ModelForm):
    prefix = "constat"  # two forms on the visit's page: distinct ids
    # Set when replacing a criterion's finding knowingly (after the conflict message shows it).
    revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = ConstatVisite
        fields = ["critere", "appreciation", "constat"]
        widgets = {"constat": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, visite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["critere"].queryset = visite.referentiel.criteres.all()
        self._helper()


class ConditionVisiteForm(FormulaireCreationUnique, _Helper, forms.Form):
    prefix = "condition"
    libelle = forms.CharField(label="Condition", widget=forms.Textarea(attrs={"rows": 2}))
    critere = forms.ModelChoiceField(label="Critère concerné", queryset=Critere.objects.none(), required=False)
    echeance = forms.DateField(label="Échéance", widget=DateInput())
    responsable = forms.ModelChoiceField(label="Responsable de l'action", queryset=None, required=False)

    def __init__(self, *args, visite, **kwargs):
        from qualite.organisation.models import Utilisateur

        super().__init__(*args, **kwargs)
        self.fields["critere"].queryset = visite.referentiel.criteres.all()
        self.fields["responsable"].queryset = Utilisateur.objects.filter(
            is_active=True, etablissements=visite.etablissement_id).order_by("last_name", "first_name")
        self._helper()


# ---- the registers' own pages (audits, EPP, processes, surveys, indicators) ---------------------------------


class _RegistreForm(FormulaireCreationUnique, FormulaireRevise, _Helper, forms.ModelForm):
    """A register's record: établissements (and their services / pôles / users) where the user may record;
    the établissement is fixed once recorded."""

    def __init__(self, *args, user, **kwargs):
        from qualite.organisation.models import Pole, Utilisateur

        super().__init__(*args, **kwargs)
        gerer = access.perimetre(user, "certification.gerer").etablissements
        if "etablissement" in self.fields:
            self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=gerer)
            if self.instance.pk:
                self.fields["etablissement"].disabled = True
        if "service" in self.fields:
            self.fields["service"].queryset = Service.objects.filter(pole__etablissement_id__in=gerer).select_related("pole")
        if "pole" in self.fields:
            self.fields["pole"].queryset = Pole.objects.filter(etablissement_id__in=gerer)
        if "criteres" in self.fields:  # the active référentiel's, plus those already linked (an older version)
            deja = self.instance.criteres.values_list("pk", flat=True) if self.instance.pk else []
            self.fields["criteres"].queryset = Critere.objects.filter(
                Q(referentiel__actif=True) | Q(pk__in=list(deja))).select_related("referentiel")
        for champ in ("pilote_medical", "pilote_soignant"):
            if champ in self.fields:
                self.fields[champ].queryset = Utilisateur.objects.filter(
                    is_active=True, etablissements__in=gerer).distinct().order_by("last_name", "first_name")
        self._helper()

    def clean(self):
        data = super().clean()
        etab = data.get("etablissement") or (self.instance.etablissement if self.instance.pk
                                             and hasattr(self.instance, "etablissement_id") else None)
        if etab is not None:
            # A process's service need not be in its pôle field's pôle: each is checked against the établissement.
            rattachement_au_formulaire(self, etab, pole=data.get("pole"), personnes={
                champ: data.get(champ) for champ in ("pilote_medical", "pilote_soignant")})
            rattachement_au_formulaire(self, etab, service=data.get("service"))
        return data


class _Datee(forms.Form):
    """The date of a change kept in the record's history (figures as of 31 December)."""

    changement_le = forms.DateField(label="Date du changement", widget=DateInput(),
                                    help_text="Date à laquelle l'état, le binôme ou le retrait a pris effet ; "
                                              "par défaut aujourd'hui.")

    def __init__(self, *args, **kwargs):
        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.fields["changement_le"].initial = timezone.localdate()


class AuditForm(_RegistreForm):
    class Meta:
        model = Audit
        fields = ["titre", "date", "etablissement", "service", "constats", "criteres"]
        widgets = {"date": DateInput(), "constats": forms.Textarea(attrs={"rows": 4}),
                   "criteres": ChoixCherchable()}


class EPPForm(_Datee, _RegistreForm):
    class Meta:
        model = EPP
        fields = ["theme", "pilotes", "etat", "etablissement", "pole", "date_debut", "date_fin"]
        widgets = {"date_debut": DateInput(), "date_fin": DateInput(), "pilotes": forms.Textarea(attrs={"rows": 2})}


class ProcessusForm(_Datee, _RegistreForm):
    class Meta:
        model = Processus
        fields = ["nom", "etablissement", "pilote_medical", "pilote_soignant", "actif"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["changement_le"].label = "En service depuis le"


class EnqueteForm(_RegistreForm):
    class Meta:
        model = EnqueteSatisfaction
        fields = ["type", "titre", "etablissement", "service", "periode_debut", "periode_fin", "reponses", "score"]
        widgets = {"periode_debut": DateInput(), "periode_fin": DateInput()}


class IndicateurForm(_RegistreForm):
    class Meta:
        model = Indicateur
        fields = ["code", "libelle", "definition", "unite", "sens", "cible", "actif", "criteres"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3}), "criteres": ChoixCherchable()}


class PreparationForm(forms.Form):
    """The établissement and référentiel the readiness view is drawn for (GET)."""

    etablissement = forms.ModelChoiceField(label="Établissement", queryset=Etablissement.objects.none())
    referentiel = forms.ModelChoiceField(label="Référentiel", queryset=Referentiel.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].queryset = Etablissement.objects.filter(
            pk__in=access.perimetre(user, "certification.consulter").etablissements).order_by("nom")
