from crispy_forms.helper import FormHelper
from django import forms

from qualite.documents import access as documents_access
from qualite.documents.models import Document
from qualite.organisation.models import Etablissement, Pole, Service, Utilisateur
from qualite.organisation.rattachement import rattachement_au_formulaire
from qualite.organisation.roles import Role
from qualite.outils.parametres import DatesBornees
from qualite.outils.revisions import FormulaireCreationUnique, FormulaireRevise
from qualite.outils.widgets import ChoixCherchable, DateInput
from qualite.pieces.forms import PieceForm


class VersionForm(PieceForm):
    """A version's file: the attachments' checks (size, type by content, antivirus), reused as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].label = "Fichier du document"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form tag carries it


class DocumentForm(FormulaireCreationUnique, FormulaireRevise, DatesBornees, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["titre", "type", "etablissement", "service", "proprietaire", "date_revision"]
        widgets = {"date_revision": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["etablissement"]
            etablissements = [self.instance.etablissement_id]
        else:
            perimetre = documents_access.access.perimetre(user, "documents.rediger")
            etablissements = sorted(perimetre.etablissements) if not perimetre.vide else []
            self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=etablissements)
            if len(etablissements) == 1:
                self.fields["etablissement"].initial = etablissements[0]
            self.fields["proprietaire"].initial = user.pk
        self.fields["service"].queryset = Service.objects.filter(
            pole__etablissement_id__in=etablissements).select_related("pole")
        self.fields["proprietaire"].queryset = Utilisateur.objects.filter(
            etablissements__in=etablissements, is_active=True).distinct()
        self.fields["titre"].error_messages["required"] = "Indiquez le titre du document."
        self.fields["proprietaire"].help_text = "Responsable du document : il reçoit l'échéance de révision."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form tag carries it

    def clean(self):
        donnees = super().clean()
        etab = donnees.get("etablissement") or (self.instance.etablissement if self.instance.pk else None)
        rattachement_au_formulaire(self, etab, service=donnees.get("service"))
        return donnees


class MouvementForm(forms.Form):
    vers = forms.CharField(widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    commentaire = forms.CharField(label="Commentaire", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class DiffusionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    services = forms.ModelMultipleChoiceField(label="Services destinataires", queryset=Service.objects.none(),
                                              required=False, widget=ChoixCherchable())
    poles = forms.ModelMultipleChoiceField(label="Pôles destinataires", queryset=Pole.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(label="Rôles destinataires", choices=Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    commentaire = forms.CharField(label="Commentaire", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, etablissement_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.filter(
            pole__etablissement_id=etablissement_id, actif=True).select_related("pole")
        self.fields["poles"].queryset = Pole.objects.filter(etablissement_id=etablissement_id, actif=True)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form tag carries it

    def clean(self):
        donnees = super().clean()
        if not (donnees.get("services") or donnees.get("poles") or donnees.get("roles")):
            raise forms.ValidationError("Choisissez au moins un service, un pôle ou un rôle destinataire.")
        return donnees


class LienCritereForm(forms.Form):
    critere = forms.ModelChoiceField(label="Critère de certification", queryset=None,
                                     error_messages={"required": "Choisissez un critère.",
                                                     "invalid_choice": "Critère inconnu."})

    def __init__(self, *args, **kwargs):
        from certification.models import Critere  # the link is optional for the document system

        super().__init__(*args, **kwargs)
        self.fields["critere"].queryset = Critere.objects.filter(referentiel__actif=True).order_by("code")


class LienActionForm(forms.Form):
    action = forms.ModelChoiceField(label="Action PAQSS", queryset=None,
                                    error_messages={"required": "Choisissez une action.",
                                                    "invalid_choice": "Action inconnue ou hors de votre périmètre."})

    def __init__(self, *args, user, etablissement_id, **kwargs):
        from qualite.paqss.access import actions_scope
        from qualite.paqss.models import ActionAmelioration

        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions_scope(
            ActionAmelioration.objects.filter(etablissement_id=etablissement_id), user).order_by("titre")
