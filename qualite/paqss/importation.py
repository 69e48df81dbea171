"""PAQSS actions as a file. An action has no reference of its own: the « Référence » column
is ACT-<n° of the action>, empty for an action to create."""

from __future__ import annotations

from qualite.organisation.models import Utilisateur
from qualite.outils import importation as imp
from qualite.paqss.access import actions_scope
from qualite.paqss.models import ActionAmelioration
from qualite.paqss.services import action_importer


def _responsable(nom="Responsable (identifiant)", champ="responsable") -> imp.Colonne:
    def lire(v, ctx, ligne):
        etab = ligne.get("etablissement")
        user = Utilisateur.objects.filter(username=str(v).strip(), is_active=True).first()
        if user is None or (etab is not None and not user.etablissements.filter(pk=etab.pk).exists()):
            raise imp.ErreurValeur(f"utilisateur inconnu dans cet établissement : « {v} » (identifiant de connexion attendu).")
        return user

    return imp.Colonne(nom, champ, lire, lambda u: u.username if u else "")


A = ActionAmelioration
COLONNES = [
    imp.reference_numerotee("ACT-"),
    imp.texte("Action", "titre", obligatoire=True, longueur=255),
    imp.texte("Description", "description"),
    imp.choix("Origine", "origine", A.Origine.choices, obligatoire=True),
    imp.etablissement(),
    imp.pole(),
    imp.service(obligatoire=False),
    _responsable(),
    imp.choix("Priorité", "priorite", A.Priorite.choices, vide=A.Priorite.MOYENNE),
    imp.date_("Échéance", "echeance"),
    imp.choix("Statut", "statut", A.Statut.choices, vide=A.Statut.A_PLANIFIER),
    imp.entier("Avancement (%)", "avancement", mini=0, maxi=100, vide=0),
    imp.texte("Motif d'abandon", "motif_abandon", longueur=255),
    imp.date_heure("Réalisée le", "realisee_le"),
    imp.texte("Preuves", "preuves"),
    imp.texte("Vérification de l'efficacité", "verification_efficacite"),
    imp.booleen("Efficace", "efficace", nullable=True),
    imp.date_("Efficacité vérifiée le", "verifiee_le"),
    imp.informative("En retard", lambda a: a.en_retard, lambda v: "oui" if v else "non"),
]


def _existants(user):
    return actions_scope(ActionAmelioration.objects.all(), user)


def _ecrire(*, op, par):
    return action_importer(par=par, donnees=imp.champs_modifies(op), action=op.existant)


REGISTRE = imp.Registre(
    code="actions",
    libelle="Programme d'actions (PAQSS)",
    permission="paqss.gerer",
    colonnes=COLONNES,
    existants=_existants,
    tous=lambda: ActionAmelioration.objects.all(),
    creer=_ecrire,
    modifier=_ecrire,
    cle="pk",
    de_cle=imp.cle_numerotee("ACT-"),
    charger=lambda qs: qs.select_related("etablissement", "pole", "service", "responsable"),
    doc="actions.md",
)
