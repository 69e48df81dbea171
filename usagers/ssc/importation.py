"""Involuntary care as files: the measures and their dated records (certificates, decisions...).

The columns their export writes and their import reads. Nominative: exports and imports are audited.
Creations go through the same services as the screens (mesure_admettre, acte_ajouter), so their refusals
(an IPP of another person, a 72 h certificate before the 24 h one...) come back with line and column."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from qualite.outils import importation as imp
from usagers.ssc import services
from usagers.ssc.access import mesures_scope
from usagers.ssc.models import (
    ActeMesure,
    Conclusion,
    Forme,
    MesureIsolement,
    MesureSoinsSansConsentement,
    ModeAdmission,
    TypeActeMesure,
)

# ---- measures -------------------------------------------------------------------------------------------
# « Référence » is the measure's own SSC-AAAA-NNNNN, numbered by mesure_admettre: empty to create a measure
# (a reference of another software cannot be kept). An existing measure's patient, établissement, mode and
# T0 are not changed by an import: a different value is an error. Unit and third party are updated.

IMMUABLES = ("etablissement", "ipp", "nom", "prenom", "date_naissance", "mode", "t0")

COLONNES_MESURES = [
    imp.reference(),
    imp.texte("IPP", "ipp", obligatoire=True, longueur=30, obtenir=lambda m: m.patient.ipp),
    imp.texte("Nom", "nom", obligatoire=True, longueur=120, obtenir=lambda m: m.patient.nom),
    imp.texte("Prénom", "prenom", obligatoire=True, longueur=120, obtenir=lambda m: m.patient.prenom),
    imp.date_("Date de naissance", "date_naissance", obligatoire=True, obtenir=lambda m: m.patient.date_naissance),
    imp.etablissement(),
    imp.service("Unité", "service"),
    imp.choix("Mode", "mode", ModeAdmission.choices, obligatoire=True),
    imp.date_heure("T0", "t0", obligatoire=True),
    imp.texte("Tiers", "tiers_nom", longueur=200),
    imp.texte("Lien du tiers", "tiers_lien", longueur=120),
    imp.informative("Pôle", lambda m: m.pole.nom),
    imp.informative("Levée le", lambda m: m.levee_le, imp.ecrire_date_heure),
]


def _mesures(user):
    return mesures_scope(MesureSoinsSansConsentement.objects.all(), user)


def _mesure_creer(*, op, par):
    v = op.valeurs
    return services.mesure_admettre(
        par=par, service=v["service"],
        patient={"ipp": v["ipp"], "nom": v["nom"], "prenom": v["prenom"], "date_naissance": v["date_naissance"]},
        mesure={"mode": v["mode"], "t0": v["t0"], "tiers_nom": v.get("tiers_nom", ""),
                "tiers_lien": v.get("tiers_lien", "")},
    )


@transaction.atomic
def _mesure_modifier(*, op, par):
    mesure = MesureSoinsSansConsentement.objects.select_for_update().get(pk=op.existant.pk)
    donnees = imp.champs_modifies(op)
    refus = {champ: "ne se modifie pas par import (valeur enregistrée différente) : corrigez la mesure à l'écran."
             for champ in IMMUABLES if champ in donnees}
    if refus:
        raise ValidationError(refus)
    champs = []
    if "service" in donnees:
        mesure.service, mesure.pole_id = donnees["service"], donnees["service"].pole_id
        champs += ["service", "pole"]
    for champ in ("tiers_nom", "tiers_lien"):
        if champ in donnees:
            setattr(mesure, champ, donnees[champ])
            champs.append(champ)
    mesure.save(update_fields=[*champs, "updated_at"])
    services.mesure_recalculer(mesure)  # the unit's pôle is on the deadlines
    return mesure


MESURES_SSC = imp.Registre(
    code="mesures_ssc",
    libelle="Soins sans consentement — mesures",
    permission="ssc.gerer",
    colonnes=COLONNES_MESURES,
    existants=_mesures,
    tous=lambda: MesureSoinsSansConsentement.objects.all(),
    creer=_mesure_creer,
    modifier=_mesure_modifier,
    charger=lambda qs: qs.select_related("patient", "etablissement", "service", "pole"),
    doc="mesures_ssc.md",
)

# ---- records of the measures ------------------------------------------------------------------------------
# « Référence » is ACT-SSC-<n° of the record>, empty to create one. A record is never modified (it is cancelled
# on the measure's page): a row whose cells differ from the record is an error; an identical row is unchanged.

PREFIXE_ACTE = "ACT-SSC-"




def _lire_mesure(v, ctx, ligne):
    if "mesures_ssc" not in ctx.cache:
        ctx.cache["mesures_ssc"] = {}
    cache, ref = ctx.cache["mesures_ssc"], str(v).strip().upper()
    if ref not in cache:
        cache[ref] = _mesures(ctx.utilisateur).filter(reference=ref).first()
    if cache[ref] is None:
        raise imp.ErreurValeur(f"mesure inconnue ou hors de votre périmètre : « {v} ».")
    return cache[ref]


COLONNES_ACTES = [
    imp.reference_numerotee(PREFIXE_ACTE),
    imp.Colonne("Mesure", "mesure", _lire_mesure, lambda m: m.reference if m else "", True),
    imp.choix("Type", "type", TypeActeMesure.choices, obligatoire=True),
    imp.date_heure("Date et heure", "date_heure", obligatoire=True),
    imp.texte("Auteur", "auteur", longueur=200),
    imp.booleen("Psychiatre de l'établissement", "psychiatre_etablissement"),
    imp.choix("Conclusion", "conclusion", Conclusion.choices, vide=""),
    imp.choix("Forme", "forme", Forme.choices, vide=""),
    imp.texte("Commentaire", "commentaire"),
    imp.informative("Annulé", lambda a: f"oui : {a.motif_annulation}" if a.annule else ""),
]

CHAMPS_ACTE = ("type", "date_heure", "auteur", "psychiatre_etablissement", "conclusion", "forme", "commentaire")


def _actes(user):
    return mesures_scope(ActeMesure.objects.all(), user, champ="mesure")


@transaction.atomic
def _acte_creer(*, op, par):
    v = op.valeurs
    mesure = v["mesure"]
    meme = ActeMesure.objects.filter(mesure=mesure, type=v["type"], date_heure=v["date_heure"], annule=False).first()
    if meme is not None:
        raise ValidationError({"date_heure": f"cet acte est déjà enregistré ({PREFIXE_ACTE}{meme.pk}) : "
                                             "indiquez sa référence ou retirez la ligne."})
    defauts = {"auteur": "", "psychiatre_etablissement": False, "conclusion": "", "forme": "", "commentaire": ""}
    donnees = {champ: v.get(champ, defauts.get(champ)) for champ in CHAMPS_ACTE}
    return services.acte_ajouter(mesure=mesure, par=par, donnees=donnees)


def _acte_deja_la(mesure, acte, presents):
    meme = next((a for a in presents if a.type == acte.type and a.date_heure == acte.date_heure), None)
    if meme is not None:
        ref = f"{PREFIXE_ACTE}{meme.pk}" if meme.pk else "plus haut dans le fichier"
        raise ValidationError({"date_heure": f"cet acte est déjà enregistré ({ref}) : "
                                             "indiquez sa référence ou retirez la ligne."})


def _actes_creer_en_lot(operations, *, par):
    defauts = {"auteur": "", "psychiatre_etablissement": False, "conclusion": "", "forme": "", "commentaire": ""}
    actes = [(op.valeurs["mesure"], {champ: op.valeurs.get(champ, defauts.get(champ)) for champ in CHAMPS_ACTE})
             for op in operations]
    return services.actes_ajouter_en_lot(par=par, actes=actes, refuser=_acte_deja_la)


def _acte_modifier(*, op, par):
    raise ValidationError({champ: "un acte enregistré ne se modifie pas : annulez-le sur la page de la mesure, "
                                  "puis importez-le de nouveau sans référence." for champ in op.modifies})


ACTES_SSC = imp.Registre(
    code="actes_ssc",
    libelle="Soins sans consentement — certificats et décisions",
    permission="ssc.gerer",
    colonnes=COLONNES_ACTES,
    existants=_actes,
    tous=lambda: ActeMesure.objects.all(),
    creer=_acte_creer,
    modifier=_acte_modifier,
    creer_en_lot=_actes_creer_en_lot,
    cle="pk",
    de_cle=imp.cle_numerotee(PREFIXE_ACTE),
    charger=lambda qs: qs.select_related("mesure"),
    doc="actes_ssc.md",
)

# ---- isolation and restraint decisions -----------------------------------------------------------------------
# « Référence » is ISO-<n° of the decision>, empty to create one. The measure, type, psychiatrist and start are
# fixed once recorded (a different value is an error); end, monitoring, reason and the information / saisine
# dates are updated — the same edits as on the decision's page, through the same service.

PREFIXE_ISOLEMENT = "ISO-"
IMMUABLES_ISOLEMENT = ("mesure", "type", "psychiatre", "debut")
CHAMPS_ISOLEMENT = ("type", "psychiatre", "debut", "fin", "surveillance", "motif", "juge_informe_le",
                    "proche_informe_le", "juge_saisi_le")


COLONNES_ISOLEMENTS = [
    imp.reference_numerotee(PREFIXE_ISOLEMENT),
    imp.Colonne("Mesure", "mesure", _lire_mesure, lambda m: m.reference if m else "", True),
    imp.choix("Type", "type", MesureIsolement.Type.choices, obligatoire=True),
    imp.texte("Psychiatre décideur", "psychiatre", obligatoire=True, longueur=200),
    imp.date_heure("Début", "debut", obligatoire=True),
    imp.date_heure("Fin", "fin"),
    imp.texte("Surveillance", "surveillance"),
    imp.texte("Motif", "motif"),
    imp.date_heure("Juge informé le", "juge_informe_le"),
    imp.date_heure("Proche informé le", "proche_informe_le"),
    imp.date_heure("Juge saisi le", "juge_saisi_le"),
]


def _isolements(user):
    return mesures_scope(MesureIsolement.objects.all(), user, champ="mesure")


def _isolement_creer(*, op, par):
    v = op.valeurs
    decision = MesureIsolement(**{champ: v.get(champ) if champ in v else
                                  ("" if champ in ("surveillance", "motif") else None) for champ in CHAMPS_ISOLEMENT})
    return services.isolement_enregistrer(mesure=v["mesure"], par=par, decision=decision)


@transaction.atomic
def _isolement_modifier(*, op, par):
    decision = MesureIsolement.objects.select_for_update().get(pk=op.existant.pk)
    donnees = imp.champs_modifies(op)
    refus = {champ: "ne se modifie pas par import : corrigez la décision à l'écran."
             for champ in IMMUABLES_ISOLEMENT if champ in donnees}
    if refus:
        raise ValidationError(refus)
    for champ, valeur in donnees.items():
        setattr(decision, champ, valeur if valeur is not None or champ not in ("surveillance", "motif") else "")
    return services.isolement_enregistrer(mesure=decision.mesure, par=par, decision=decision)


ISOLEMENTS_SSC = imp.Registre(
    code="isolements_ssc",
    libelle="Soins sans consentement — isolement et contention",
    permission="ssc.gerer",
    colonnes=COLONNES_ISOLEMENTS,
    existants=_isolements,
    tous=lambda: MesureIsolement.objects.all(),
    creer=_isolement_creer,
    modifier=_isolement_modifier,
    cle="pk",
    de_cle=imp.cle_numerotee(PREFIXE_ISOLEMENT),
    charger=lambda qs: qs.select_related("mesure"),
    doc="isolements_ssc.md",
)
