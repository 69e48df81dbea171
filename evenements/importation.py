"""The adverse-event register as a file: the columns its export writes and its import reads."""

from __future__ import annotations

from django.utils import timezone

from evenements import services
from evenements.models import EvenementIndesirable, Gravite, PersonneConcernee, Statut, TypeEvenement, Vraisemblance
from qualite.organisation import access
from qualite.outils import importation as imp
from qualite.outils.exports import date_heure_sql


def _type(nom="Type", champ="type") -> imp.Colonne:
    def lire(v, ctx, ligne):
        if "types" not in ctx.cache:
            ctx.cache["types"] = {imp.cle_entete(t.libelle): t for t in TypeEvenement.objects.all()}
        t = ctx.cache["types"].get(imp.cle_entete(v))
        if t is None:
            permis = ", ".join(f"« {libelle} »" for libelle in TypeEvenement.objects.filter(actif=True).values_list("libelle", flat=True))
            raise imp.ErreurValeur(f"type inconnu « {v} » (types permis : {permis}).")
        return t

    return imp.Colonne(nom, champ, lire, lambda t: t.libelle if t else "", True)


COLONNES = [
    imp.reference(),
    imp.date_heure("Survenu le", "survenu_le", obligatoire=True),
    imp.etablissement(),
    imp.informative("Pôle", lambda e: e.pole.nom),
    imp.service(),
    _type(),
    imp.choix_multiples("Personnes concernées", "personnes", PersonneConcernee.choices, obligatoire=True),
    imp.texte("Description", "description", obligatoire=True),
    imp.booleen("Presque accident", "presque_accident"),
    imp.texte("Lieu", "lieu", longueur=200),
    imp.texte("Mesures immédiates", "mesures_immediates"),
    imp.texte("Conséquences", "consequences"),
    imp.choix("Gravité estimée", "gravite_estimee", Gravite.choices, obligatoire=True),
    imp.booleen("Confidentiel", "confidentiel"),
    imp.choix("Gravité", "gravite", Gravite.choices),
    imp.choix("Vraisemblance", "vraisemblance", Vraisemblance.choices),
    imp.informative("Criticité", lambda e: e.criticite, lambda v: "" if v is None else v),
    imp.informative("État", lambda e: Statut(e.statut).label),
]


def _lignes_sql(qs):
    """The export's rows from one values query, dates formatted by PostgreSQL: no model instance per row.
    Same cells as the columns' `cellule` (a test compares both)."""
    personnes, gravites = dict(PersonneConcernee.choices), dict(Gravite.choices)
    vraisemblances, statuts = dict(Vraisemblance.choices), dict(Statut.choices)
    lignes = qs.annotate(_survenu=date_heure_sql("survenu_le")).values_list(
        "reference", "_survenu", "etablissement__nom", "pole__nom", "service__nom", "type__libelle", "personnes",
        "description", "presque_accident", "lieu", "mesures_immediates", "consequences", "gravite_estimee",
        "confidentiel", "gravite", "vraisemblance", "statut")
    for (ref, survenu, etab, pole, service, type_, pers, desc, presque, lieu, mesures, consequences, estimee,
         confidentiel, gravite, vraisemblance, statut) in lignes.iterator(chunk_size=2000):
        yield [ref, survenu, etab, pole, service, type_ or "", f" {imp.SEPARATEUR} ".join(personnes.get(p, p) for p in pers or []),
               desc, "oui" if presque else "non", lieu, mesures, consequences, gravites.get(estimee, estimee), "oui" if confidentiel else "non",
               gravites.get(gravite, gravite) if gravite else "", vraisemblances.get(vraisemblance, vraisemblance) if vraisemblance else "",
               gravite * vraisemblance if gravite is not None and vraisemblance is not None else "", statuts.get(statut, statut)]


def _existants(user):
    return access.perimetre(user, "evenements.gerer").filtrer(EvenementIndesirable.objects.all())


def _creer(*, op, par):
    donnees = {k: v for k, v in op.valeurs.items() if k not in ("etablissement", "service")}
    return services.evenement_declarer(declarant=par, service=op.valeurs["service"], donnees=donnees,
                                       reference=op.reference_finale)


def _creer_en_lot(operations, *, par):
    declarations = [(op.valeurs["service"], {k: v for k, v in op.valeurs.items() if k not in ("etablissement", "service")},
                     op.reference_finale) for op in operations]
    return services.evenements_declarer_en_lot(declarant=par, declarations=declarations)


def _modifier(*, op, par):
    donnees = imp.champs_modifies(op)
    donnees.pop("etablissement", None)
    if "etablissement" in op.modifies and "service" not in donnees:
        donnees["service"] = op.valeurs["service"]
    return services.evenement_modifier_import(evenement=op.existant, par=par, donnees=donnees)


REGISTRE = imp.Registre(
    code="evenements",
    libelle="Évènements indésirables",
    permission="evenements.gerer",
    colonnes=COLONNES,
    existants=_existants,
    tous=lambda: EvenementIndesirable.objects.all(),
    creer=_creer,
    modifier=_modifier,
    creer_en_lot=_creer_en_lot,
    lignes_sql=_lignes_sql,
    charger=lambda qs: qs.select_related("etablissement", "pole", "service", "type"),
    prefixe="EI",
    annee=lambda v: timezone.localtime(v["survenu_le"]).year,
    doc="evenements.md",
)
