"""The filter bars, columns and search of the complaints and medical-record request lists.

Anonymised readers (CDU members, RU) search the reference and the summary staff validated as anonymous,
never the names, addresses or the complaint's own words."""

from django import forms
from django.db.models import Case, CharField, F, Value, When

from qualite.outils import parametres, tableaux
from usagers.relations.models import CHAMPS_RECHERCHE_DOSSIER, CHAMPS_RECHERCHE_RECLAMATION, NatureReclamation

CHAMPS_RECHERCHE_NOMINATIFS = CHAMPS_RECHERCHE_RECLAMATION
CHAMPS_RECHERCHE_ANONYMES = ("reference", Case(When(resume_valide=True, then=F("resume_anonymise")), default=Value(""),
                                                 output_field=CharField()))

ECHEANCE = tableaux.Colonne("Prochaine échéance", "echeance", (F("prochaine_echeance"), "recue_le"))

TABLEAU_RECLAMATIONS = tableaux.Tableau([
    tableaux.Colonne("Référence", "reference"),
    tableaux.Colonne("Reçue le", "recue_le", descendant_d_abord=True),
    tableaux.Colonne("Nature", "nature", (tableaux.ordre_des_choix("nature", NatureReclamation.choices), "recue_le")),
    tableaux.Colonne("Auteur", "auteur", ("auteur_nom", "recue_le")),
    tableaux.Colonne("Étape"),
    ECHEANCE,
])

TABLEAU_RECLAMATIONS_ANONYMES = tableaux.Tableau([
    tableaux.Colonne("Référence", "reference"),
    tableaux.Colonne("Reçue le", "recue_le", descendant_d_abord=True),
    tableaux.Colonne("Nature", "nature", (tableaux.ordre_des_choix("nature", NatureReclamation.choices), "recue_le")),
    tableaux.Colonne("Services"),
    tableaux.Colonne("Résumé anonymisé"),
    ECHEANCE,
])

# The state of a request, in SQL so the column sorts; the labels are the ones the page shows.
ETAT_DOSSIER = Case(When(refusee=True, then=Value("Refusée")), When(communiquee_le__isnull=False, then=Value("Communiquée")),
                    default=Value("En cours"), output_field=CharField())

TABLEAU_DOSSIERS = tableaux.Tableau([
    tableaux.Colonne("Référence", "reference"),
    tableaux.Colonne("Patient", "patient", ("patient_nom", "recue_le")),
    tableaux.Colonne("Demandeur", "demandeur", ("demandeur_nom", "recue_le")),
    tableaux.Colonne("Reçue le", "recue_le", descendant_d_abord=True),
    tableaux.Colonne("État", "etat", (F("etat"), "recue_le")),
    tableaux.Colonne("Communiquée le", "communiquee_le", (F("communiquee_le"),), descendant_d_abord=True),
    ECHEANCE,
])


class _Recherche(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=tableaux.LONGUEUR_RECHERCHE,
                        widget=forms.TextInput(attrs={"type": "search", "class": "form-control",
                                                      "placeholder": "Mots, référence…"}))
    annee = forms.IntegerField(label="Année de réception", required=False, min_value=parametres.ANNEE_MIN,
                               max_value=parametres.ANNEE_MAX,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-control"}))


class FiltresReclamations(_Recherche):
    nature = forms.ChoiceField(label="Nature", required=False, choices=[("", "Toutes"), *NatureReclamation.choices],
                               widget=forms.Select(attrs={"class": "form-select"}))
    field_order = ["q", "nature", "annee"]


class FiltresDossiers(_Recherche):
    pass


def filtrer_reclamations(qs, params, *, nominatif: bool):
    if nature := parametres.choix(params, "nature", NatureReclamation.values):
        qs = qs.filter(nature=nature)
    if annee := parametres.annee(params):
        qs = qs.filter(recue_le__year=annee)
    champs = CHAMPS_RECHERCHE_NOMINATIFS if nominatif else CHAMPS_RECHERCHE_ANONYMES
    return tableaux.rechercher(qs, tableaux.texte_recherche(params), champs)


def filtrer_dossiers(qs, params):
    if annee := parametres.annee(params):
        qs = qs.filter(recue_le__year=annee)
    return tableaux.rechercher(qs, tableaux.texte_recherche(params), CHAMPS_RECHERCHE_DOSSIER)
