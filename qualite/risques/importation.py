"""The risk register as a file (docs/risques.md). A risk has no reference of its own: « Référence » is
RSQ-<n° of the risk>, empty for a risk to create. The scoring columns carry the current scoring; a row whose
scoring differs adds a new dated scoring (the previous ones stay)."""

from __future__ import annotations

from qualite.organisation.models import Utilisateur
from qualite.outils import importation as imp
from qualite.risques import domaines
from qualite.risques.access import risques_scope
from qualite.risques.models import FamilleRisque, NiveauEchelle, Risque
from qualite.risques.selectors import avec_derniere_cotation
from qualite.risques.services import risque_importer


def _par_nom(ctx, cle, etab, requete) -> dict:
    if (cle, etab.pk) not in ctx.cache:
        ctx.cache[cle, etab.pk] = {imp.cle_entete(nom): o for nom, o in requete(etab)}
    return ctx.cache[cle, etab.pk]


def _famille() -> imp.Colonne:
    def lire(v, ctx, ligne):
        etab = ligne.get("etablissement")
        if etab is None:
            raise imp.ErreurValeur("indiquez d'abord un établissement valide.")
        familles = _par_nom(ctx, "familles", etab, lambda e: (
            (f.libelle, f) for f in FamilleRisque.objects.filter(etablissement=e)))
        famille = familles.get(imp.cle_entete(v))
        if famille is None:
            raise imp.ErreurValeur(f"famille inconnue dans l'établissement « {etab.nom} » : « {v} » "
                                   "(les familles se créent dans l'administration).")
        return famille

    return imp.Colonne("Famille", "famille", lire, lambda f: f.libelle if f else "", True)


def _processus() -> imp.Colonne:
    def lire(v, ctx, ligne):
        etab = ligne.get("etablissement")
        if etab is None:
            raise imp.ErreurValeur("indiquez d'abord un établissement valide.")
        tous = _par_nom(ctx, "processus", etab, lambda e: (
            (p.nom, p) for p in domaines.Processus().objects.filter(etablissement=e)))
        processus = tous.get(imp.cle_entete(v))
        if processus is None:
            raise imp.ErreurValeur(f"processus inconnu dans l'établissement « {etab.nom} » : « {v} ».")
        return processus

    return imp.Colonne("Processus", "processus", lire, lambda p: p.nom if p else "")


def _pilote() -> imp.Colonne:
    def lire(v, ctx, ligne):
        etab = ligne.get("etablissement")
        user = Utilisateur.objects.filter(username=str(v).strip(), is_active=True).first()
        if user is None or (etab is not None and not user.etablissements.filter(pk=etab.pk).exists()):
            raise imp.ErreurValeur(f"utilisateur inconnu dans cet établissement : « {v} » (identifiant de connexion attendu).")
        return user

    return imp.Colonne("Pilote (identifiant)", "pilote", lire, lambda u: u.username if u else "")


def _niveau(nom, champ) -> imp.Colonne:
    """A level of its scale as the scale stands (a 1–4 scale refuses 5), checked at reading: the preview
    lists it with the file's other errors."""
    entier = imp.entier(nom, champ)

    def lire(v, ctx, ligne):
        n = entier.lire(v, ctx, ligne)
        if ("niveaux", champ) not in ctx.cache:
            ctx.cache["niveaux", champ] = set(NiveauEchelle.objects.filter(echelle=champ).values_list("valeur", flat=True))
        permis = ctx.cache["niveaux", champ]
        if n not in permis:
            raise imp.ErreurValeur(f"niveau inconnu : {n} (niveaux de l'échelle : "
                                   f"{', '.join(str(p) for p in sorted(permis)) or 'aucun'}).")
        return n

    return imp.Colonne(nom, champ, lire, entier.ecrire, obtenir=lambda r: getattr(r, f"derniere_{champ}", None))


def _decimal(v) -> str:
    return "" if v is None else f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",")


COLONNES = [
    imp.reference_numerotee(Risque.PREFIXE),
    imp.texte("Risque", "titre", obligatoire=True, longueur=255),
    imp.etablissement(),
    _famille(),
    _processus(),
    imp.pole(),
    imp.service(obligatoire=False),
    imp.texte("Description", "description"),
    _pilote(),
    imp.texte("Barrières existantes", "barrieres"),
    imp.date_("Archivé le", "archive_le"),
    imp.date_("Date de cotation", "date_cotation", obtenir=lambda r: getattr(r, "derniere_date", None)),
    _niveau("Fréquence", "frequence"),
    _niveau("Gravité", "gravite"),
    _niveau("Maîtrise", "maitrise"),
    imp.informative("Criticité brute", lambda r: getattr(r, "derniere_criticite_brute", None)),
    imp.informative("Criticité résiduelle", lambda r: getattr(r, "derniere_criticite_residuelle", None), _decimal),
]


def _charger(qs):
    return avec_derniere_cotation(qs.select_related("etablissement", "pole", "service", "processus", "famille",
                                                    "pilote"))


def _ecrire(*, op, par):
    return risque_importer(par=par, donnees=imp.champs_modifies(op), risque=op.existant)


REGISTRE = imp.Registre(
    code="risques",
    libelle="Cartographie des risques",
    permission="risques.modifier",
    colonnes=COLONNES,
    existants=lambda user: risques_scope(Risque.objects.all(), user, "risques.modifier"),
    tous=lambda: Risque.objects.all(),
    creer=_ecrire,
    modifier=_ecrire,
    cle="pk",
    de_cle=imp.cle_numerotee(Risque.PREFIXE),
    charger=_charger,
    doc="risques.md",
)
