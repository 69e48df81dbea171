from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from evenements.models import TypeEvenement
from qualite.organisation import access
from qualite.organisation.models import Etablissement, Service
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import ChoixCherchable, DateInput, DateTimeInput
from usagers.relations.models import (
    CHAMPS_DU_GESTE,
    CampagneDialogue,
    CategorieReclamation,
    DemandeDossier,
    EnTeteCourrier,
    EntretienDialogue,
    MembreCDU,
    ModeleLettre,
    QuestionDialogue,
    Reclamation,
    RecommandationCDU,
    SeanceCDU,
    TypeMediation,
    logos_disponibles,
)

DATES_RECLAMATION = ["recue_le", "accuse_le", "premiere_reponse_le", "mediateur_saisi_le", "rencontre_le", "rapport_le",
                     "reponse_finale_le"]


class _Formulaire(DatesBornees):
    def _preparer(self, user):
        self.helper = FormHelper()
        self.helper.form_tag = False
        visibles = access.etablissements_visibles(user)
        if "etablissement" in self.fields:
            self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=visibles)
            if len(visibles) == 1 and not self.is_bound and not self.instance.pk:
                self.initial["etablissement"] = next(iter(visibles))
        return visibles


class ReclamationForm(FormulaireCreationUnique, FormulaireRevise, _Formulaire, forms.ModelForm):
    categories = forms.MultipleChoiceField(label="Catégories", choices=CategorieReclamation.choices,
                                           widget=forms.CheckboxSelectMultiple)
    services = forms.ModelMultipleChoiceField(label="Services concernés", queryset=Service.objects.none(), required=False,
                                              widget=ChoixCherchable())

    class Meta:
        model = Reclamation
        fields = ["etablissement", "nature", "canal", "categories", "services", "auteur_civilite", "auteur_nom", "auteur_adresse",
                  "auteur_courriel", "lien_patient", "patient_nom", "objet", "resume_anonymise", "resume_valide",
                  *DATES_RECLAMATION, "mediation", "mediation_refusee", "ru_accompagnant", "ru_referent", "seance_cdu",
                  "avis_cdu"]
        widgets = {**{f: DateInput() for f in DATES_RECLAMATION},
                   "objet": forms.Textarea(attrs={"rows": 4}), "resume_anonymise": forms.Textarea(attrs={"rows": 2}),
                   "auteur_adresse": forms.Textarea(attrs={"rows": 2}), "avis_cdu": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visibles = self._preparer(user)
        self.fields["services"].queryset = Service.objects.filter(pole__etablissement_id__in=visibles).select_related("pole")
        self.fields["ru_accompagnant"].queryset = MembreCDU.objects.filter(etablissement_id__in=visibles,
                                                                          role__in=MembreCDU.ROLES_RU, actif=True)
        self.fields["ru_referent"].queryset = self.fields["ru_accompagnant"].queryset
        self.fields["seance_cdu"].queryset = SeanceCDU.objects.filter(etablissement_id__in=visibles)
        if self.instance.pk:
            self.initial["services"] = list(self.instance.services.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        etab = data.get("etablissement")
        for s in data.get("services") or []:
            if etab and s.pole.etablissement_id != etab.pk:
                self.add_error("services", f"{s} relève d'un autre établissement.")
        return data

    def donnees(self):
        return self.a_ecrire(sauf=("services",))


class ReclamationCorrectionForm(ReclamationForm):
    """The complaint's page edits its description and corrects the steps already done; a step not reached yet is
    a gesture (GesteForm), never a field here, and a step done cannot be emptied: the state never goes back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rec = self.instance
        del self.fields["mediation_refusee"]
        for geste, champs in CHAMPS_DU_GESTE.items():
            if not champs:
                continue
            fait = rec.geste_fait(geste)
            for champ in champs:
                if not fait:
                    del self.fields[champ]
                elif champ in DATES_RECLAMATION or champ in ("mediation", "seance_cdu"):
                    self.fields[champ].required = True


class GesteForm(DatesBornees, forms.ModelForm):
    """What one gesture records on the complaint: its date (today unless said otherwise) and, for some, the mediator
    seized, the accompanying user representative, or the CDU session and its opinion."""

    class Meta:
        model = Reclamation
        fields = ["accuse_le", "premiere_reponse_le", "mediation", "mediateur_saisi_le", "rencontre_le",
                  "ru_accompagnant", "rapport_le", "seance_cdu", "avis_cdu", "reponse_finale_le"]
        widgets = {**{f: DateInput() for f in DATES_RECLAMATION}, "avis_cdu": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, geste, reclamation, **kwargs):
        super().__init__(*args, instance=Reclamation(etablissement_id=reclamation.etablissement_id), **kwargs)
        self.geste = geste
        self.prefix = f"geste-{geste}"
        champs = CHAMPS_DU_GESTE[geste]
        for nom in list(self.fields):
            if nom not in champs:
                del self.fields[nom]
        for nom, champ in self.fields.items():
            champ.required = nom != "ru_accompagnant"
            if nom in DATES_RECLAMATION:
                self.initial[nom] = timezone.localdate()
        if "mediation" in self.fields:
            self.fields["mediation"].choices = [c for c in TypeMediation.choices if c[0]]
        if "ru_accompagnant" in self.fields:
            self.fields["ru_accompagnant"].queryset = MembreCDU.objects.filter(
                etablissement_id=reclamation.etablissement_id, role__in=MembreCDU.ROLES_RU, actif=True)
        if "seance_cdu" in self.fields:
            self.fields["seance_cdu"].queryset = SeanceCDU.objects.filter(
                etablissement_id=reclamation.etablissement_id).exclude(statut=SeanceCDU.Statut.ANNULEE)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _post_clean(self):
        pass  # the complaint itself is checked by the service (reclamation_valider), on the locked row

    def donnees(self) -> dict:
        return {nom: self.cleaned_data[nom] for nom in self.fields}

class EvenementDepuisReclamationForm(forms.Form):
    type_evenement = forms.ModelChoiceField(label="Type d'évènement", queryset=TypeEvenement.objects.filter(actif=True))
    service = forms.ModelChoiceField(label="Service où il est survenu", queryset=Service.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(pole__etablissement_id__in=access.etablissements_visibles(user))


class ActionDepuisForm(DatesBornees, forms.Form):
    titre = forms.CharField(label="Action d'amélioration", max_length=255)
    echeance = forms.DateField(label="Échéance", required=False, widget=DateInput())


class DemandeDossierForm(FormulaireCreationUnique, FormulaireRevise, _Formulaire, forms.ModelForm):
    class Meta:
        model = DemandeDossier
        fields = ["etablissement", "patient_nom", "patient_naissance", "patient_decede", "demandeur_type", "demandeur_nom",
                  "motif", "identite_verifiee", "qualite_verifiee", "recue_le", "complete_le", "point_depart",
                  "informations_du", "mode", "communiquee_le", "frais", "refusee", "motif_refus"]
        widgets = {"patient_naissance": DateInput(), "informations_du": DateInput(), "recue_le": DateTimeInput(),
                   "complete_le": DateTimeInput(), "communiquee_le": DateTimeInput()}

    def donnees(self):
        return self.a_ecrire()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._preparer(user)


class MembreForm(FormulaireRevise, _Formulaire, forms.ModelForm):
    class Meta:
        model = MembreCDU
        fields = ["etablissement", "nom", "role", "association", "debut_mandat", "fin_mandat", "actif"]
        widgets = {"debut_mandat": DateInput(), "fin_mandat": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._preparer(user)


class SeanceForm(FormulaireCreationUnique, FormulaireRevise, _Formulaire, forms.ModelForm):
    class Meta:
        model = SeanceCDU
        fields = ["etablissement", "date", "statut", "ordre_du_jour", "presents", "documents", "compte_rendu"]
        widgets = {"date": DateInput(), "presents": forms.CheckboxSelectMultiple,
                   "ordre_du_jour": forms.Textarea(attrs={"rows": 3}), "documents": forms.Textarea(attrs={"rows": 2}),
                   "compte_rendu": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visibles = self._preparer(user)
        self.fields["presents"].queryset = MembreCDU.objects.filter(etablissement_id__in=visibles, actif=True)

    def clean(self):
        data = super().clean()
        etab = data.get("etablissement")
        for m in data.get("presents") or []:
            if etab and m.etablissement_id != etab.pk:
                self.add_error("presents", f"{m} est membre de la CDU d'un autre établissement.")
        return data


class RecommandationForm(forms.ModelForm):
    class Meta:
        model = RecommandationCDU
        fields = ["texte", "proposee_par"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, seance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposee_par"].queryset = MembreCDU.objects.filter(etablissement_id=seance.etablissement_id)


class CampagneForm(FormulaireRevise, _Formulaire, forms.ModelForm):
    class Meta:
        model = CampagneDialogue
        fields = ["etablissement", "titre", "debut", "fin", "synthese", "reunion_cloture_le", "reunion_cloture_notes"]
        widgets = {"debut": DateInput(), "fin": DateInput(), "reunion_cloture_le": DateInput(),
                   "synthese": forms.Textarea(attrs={"rows": 4}), "reunion_cloture_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._preparer(user)

    def clean(self):
        data = super().clean()
        if data.get("fin") and data.get("debut") and data["fin"] < data["debut"]:
            self.add_error("fin", "La fin précède le début.")
        if data.get("reunion_cloture_le") and data.get("debut") and data["reunion_cloture_le"] < data["debut"]:
            self.add_error("reunion_cloture_le", "La réunion de clôture suit le début de la campagne.")
        return data


class EntretienForm(DatesBornees, forms.ModelForm):
    class Meta:
        model = EntretienDialogue
        fields = ["date", "fonction", "ru_presents", "questions", "notes"]
        widgets = {"date": DateInput(), "ru_presents": forms.CheckboxSelectMultiple,
                   "questions": forms.CheckboxSelectMultiple, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, campagne, **kwargs):
        super().__init__(*args, **kwargs)
        self.campagne = campagne
        self.fields["ru_presents"].queryset = MembreCDU.objects.filter(etablissement_id=campagne.etablissement_id,
                                                                      role__in=MembreCDU.ROLES_RU)
        self.fields["questions"].queryset = QuestionDialogue.objects.select_related("theme")
        self.fields["fonction"].help_text = "Un professionnel à la fois ; c'est un dialogue, jamais un audit."

    def clean_ru_presents(self):
        ru = self.cleaned_data["ru_presents"]
        if not ru:
            raise forms.ValidationError("Au moins un représentant des usagers mène l'entretien.")
        return ru

    def clean_date(self):
        d = self.cleaned_data["date"]
        if d < self.campagne.debut:
            raise forms.ValidationError("Date antérieure au début de la campagne.")
        return d


# ---- letters ---------------------------------------------------------------------------------------


class ModeleLettreForm(FormulaireRevise, forms.ModelForm):
    """A letter template: the model's clean() refuses an unknown merge field or a template tag."""

    def donnees(self) -> dict:
        return {k: v for k, v in self.a_ecrire().items() if k != "depuis"}

    class Meta:
        model = ModeleLettre
        fields = ["objet", "corps", "voies_de_recours"]
        widgets = {"corps": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["corps"].help_text = "Champs de fusion permis : voir la liste à côté. Le texte est imprimé tel quel."
        # The template the page was loaded on (the common one until the établissement has its own).
        self.fields["depuis"] = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=self.instance.pk)


class EnTeteCourrierForm(FormulaireRevise, forms.ModelForm):
    logo = forms.ChoiceField(label="Logo", required=False,
                             help_text="Un fichier de l'application (static/courriers/logos/) ; aucune adresse externe.")

    class Meta:
        model = EnTeteCourrier
        fields = ["nom", "adresse", "telephone", "logo", "signataire_nom", "signataire_fonction", "mediateur_medical",
                  "mediateur_non_medical", "cdu_contact", "ars_nom", "ars_adresse"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("adresse", "cdu_contact", "ars_adresse")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["logo"].choices = [("", "Aucun logo"), *((f, f.rsplit("/", 1)[-1]) for f in logos_disponibles())]


class GenerationLettreForm(FormulaireCreationUnique, forms.Form):
    """« Générer le PDF » on a letter's preview: only its one-time key (a double click keeps one letter)."""
