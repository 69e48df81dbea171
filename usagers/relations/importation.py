"""Complaints / praise and medical-record requests as files: the columns their export writes and
their import reads. Both registers are nominative: exports and imports are audited."""

from __future__ import annotations

from django.utils import timezone

from qualite.organisation import access
from qualite.outils import importation as imp
from usagers.relations import services as services
from usagers.relations.access import cdu_scope, dossiers_scope, reclamations_scope
from usagers.relations.models import (
    CanalReclamation,
    CategorieReclamation,
    DemandeDossier,
    ModeCommunication,
    MotifAyantDroit,
    NatureReclamation,
    PointDepart,
    Reclamation,
    SeanceCDU,
    TypeDemandeur,
    TypeMediation,
)

# ---- complaints and praise --------------------------------------------------------------------------

def _seance_ecrire_cellule(seance):
    return f"CDU-{seance.pk}" if seance else ""


def _seance_lire(v, ligne):
    """« CDU-<n° » as the sessions' register writes it: a session of the row's établissement."""
    etab = ligne.get("etablissement")
    if etab is None:
        raise imp.ErreurValeur("indiquez d'abord un établissement valide.")
    try:
        numero = imp.cle_numerotee("CDU-")(str(v))
    except ValueError:
        raise imp.ErreurValeur(f"séance attendue sous la forme CDU-<numéro> : « {v} ».") from None
    seance = SeanceCDU.objects.filter(pk=numero, etablissement=etab).first()
    if seance is None:
        raise imp.ErreurValeur(f"séance de la CDU inconnue dans l'établissement « {etab.nom} » : « {v} ».")
    return seance


COLONNES_RECLAMATIONS = [
    imp.reference(),
    imp.etablissement(),
    imp.date_("Reçue le", "recue_le", obligatoire=True),
    imp.choix("Nature", "nature", NatureReclamation.choices, obligatoire=True),
    imp.choix("Canal", "canal", CanalReclamation.choices, obligatoire=True),
    imp.choix_multiples("Catégories", "categories", CategorieReclamation.choices, obligatoire=True),
    imp.services_multiples("Services concernés", "services",
                           obtenir=lambda r: sorted(r.services.all(), key=lambda s: (s.nom, s.pk))),
    imp.texte("Auteur", "auteur_nom", obligatoire=True, longueur=200),
    imp.texte("Adresse", "auteur_adresse"),
    imp.texte("Courriel", "auteur_courriel", longueur=254),
    imp.texte("Lien avec le patient", "lien_patient", obligatoire=True, longueur=120),
    imp.texte("Patient", "patient_nom", longueur=200),
    imp.texte("Objet", "objet", obligatoire=True),
    imp.texte("Résumé anonymisé", "resume_anonymise"),
    imp.booleen("Résumé vérifié anonyme", "resume_valide"),
    imp.date_("Accusé de réception le", "accuse_le"),
    imp.date_("Première réponse le", "premiere_reponse_le"),
    imp.choix("Médiation", "mediation", TypeMediation.choices),
    imp.date_("Médiateur saisi le", "mediateur_saisi_le"),
    imp.booleen("Rencontre refusée", "mediation_refusee"),
    imp.date_("Rencontre le", "rencontre_le"),
    imp.date_("Rapport du médiateur le", "rapport_le"),
    imp.Colonne("Séance de la CDU", "seance_cdu", lambda v, ctx, ligne: _seance_lire(v, ligne), _seance_ecrire_cellule),
    imp.texte("Avis de la CDU", "avis_cdu"),
    imp.date_("Réponse finale le", "reponse_finale_le"),
    imp.informative("Étape", lambda r: r.etape),
]


def _reclamations(user):
    return reclamations_scope(Reclamation.objects.all(), user)


def _reclamation_ecrire(*, op, par):
    donnees = imp.champs_modifies(op)
    services_ = donnees.pop("services", None)
    if services_ is None:
        services_ = list(op.existant.services.all()) if op.existant else []
    if op.existant is None:
        donnees["reference"] = op.reference_finale
    return services.reclamation_enregistrer(par=par, donnees=donnees, services=services_, reclamation=op.existant)


RECLAMATIONS = imp.Registre(
    code="reclamations",
    libelle="Plaintes, réclamations et éloges",
    permission="reclamations.gerer",
    colonnes=COLONNES_RECLAMATIONS,
    existants=_reclamations,
    tous=lambda: Reclamation.objects.all(),
    creer=_reclamation_ecrire,
    modifier=_reclamation_ecrire,
    charger=lambda qs: qs.select_related("etablissement", "seance_cdu").prefetch_related("services"),
    prefixe="REC",
    annee=lambda v: v["recue_le"].year,
    doc="reclamations.md",
)

# ---- medical-record requests ------------------------------------------------------------------------

COLONNES_DOSSIERS = [
    imp.reference(),
    imp.etablissement(),
    imp.texte("Patient", "patient_nom", obligatoire=True, longueur=200),
    imp.date_("Date de naissance", "patient_naissance", obligatoire=True),
    imp.booleen("Patient décédé", "patient_decede"),
    imp.choix("Qualité du demandeur", "demandeur_type", TypeDemandeur.choices, obligatoire=True),
    imp.texte("Demandeur", "demandeur_nom", obligatoire=True, longueur=200),
    imp.choix("Motif (ayant droit)", "motif", MotifAyantDroit.choices, vide=""),
    imp.booleen("Identité vérifiée", "identite_verifiee"),
    imp.booleen("Qualité vérifiée", "qualite_verifiee"),
    imp.date_heure("Reçue le", "recue_le", obligatoire=True),
    imp.date_heure("Complète le", "complete_le"),
    imp.choix("Délai compté depuis", "point_depart", PointDepart.choices, vide=PointDepart.RECEPTION),
    imp.date_("Informations les plus récentes du", "informations_du", obligatoire=True),
    imp.choix("Mode de communication", "mode", ModeCommunication.choices, vide=""),
    imp.date_heure("Communiquée le", "communiquee_le"),
    imp.decimal_("Frais (€)", "frais", vide=0),
    imp.booleen("Refusée", "refusee"),
    imp.texte("Motif du refus", "motif_refus", longueur=255),
    imp.informative("Informations de plus de 5 ans", lambda d: d.plus_de_5_ans, lambda v: "oui" if v else "non"),
]


def _dossiers(user):
    return dossiers_scope(DemandeDossier.objects.all(), user)


def _dossier_ecrire(*, op, par):
    donnees = imp.champs_modifies(op)
    if op.existant is None:
        donnees["reference"] = op.reference_finale
    return services.demande_enregistrer(par=par, donnees=donnees, demande=op.existant)


DOSSIERS = imp.Registre(
    code="dossiers",
    libelle="Demandes de dossier médical",
    permission="dossiers.gerer",
    colonnes=COLONNES_DOSSIERS,
    existants=_dossiers,
    tous=lambda: DemandeDossier.objects.all(),
    creer=_dossier_ecrire,
    modifier=_dossier_ecrire,
    charger=lambda qs: qs.select_related("etablissement"),
    prefixe="DMD",
    annee=lambda v: timezone.localtime(v["recue_le"]).year,
    doc="dossiers.md",
)

# ---- CDU sessions -------------------------------------------------------------------------------------
# A session has no reference of its own: « Référence » is CDU-<n° of the session>, empty to create one.
# The members present are not imported: they are ticked on the session's page.




COLONNES_SEANCES_CDU = [
    imp.reference_numerotee("CDU-"),
    imp.etablissement(),
    imp.date_("Date", "date", obligatoire=True),
    imp.choix("Statut", "statut", SeanceCDU.Statut.choices, vide=SeanceCDU.Statut.PLANIFIEE),
    imp.texte("Ordre du jour", "ordre_du_jour"),
    imp.texte("Documents examinés", "documents"),
    imp.texte("Compte rendu", "compte_rendu"),
]


def _seances_cdu(user):
    if not access.has_perm(user, "cdu.gerer"):
        return SeanceCDU.objects.none()
    return cdu_scope(SeanceCDU.objects.all(), user)


def _seance_ecrire(*, op, par):
    """Through the service, like the screen: a new date is checked against the complaints it examines."""
    return services.seance_enregistrer(par=par, donnees=imp.champs_modifies(op), seance=op.existant)


SEANCES_CDU = imp.Registre(
    code="seances_cdu",
    libelle="Séances de la CDU",
    permission="cdu.gerer",
    colonnes=COLONNES_SEANCES_CDU,
    existants=_seances_cdu,
    tous=lambda: SeanceCDU.objects.all(),
    creer=_seance_ecrire,
    modifier=_seance_ecrire,
    cle="pk",
    de_cle=imp.cle_numerotee("CDU-"),
    charger=lambda qs: qs.select_related("etablissement"),
    doc="seances_cdu.md",
)
