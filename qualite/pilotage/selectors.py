from __future__ import annotations

from qualite.organisation import access
from qualite.organisation.models import Etablissement
from qualite.pilotage.chiffres import calculer_par_registre, catalogue


def chiffres_cles(*, annee: int, etablissements: list[Etablissement], pole_id: int | None = None,
                  anonyme_seulement: bool = False, tendance: int = 0) -> list[dict]:
    """Every figure for each établissement and for all of them together, with last year's value
    and, if asked, the series of the `tendance` previous years (same single query per figure)."""
    ids = [e.pk for e in etablissements]
    annees = list(range(annee - max(tendance, 1), annee + 1))
    resultat = []
    figures = [c for c in catalogue() if not (anonyme_seulement and not c.anonyme)
               and not (pole_id is not None and c.champ_pole is None)]
    par_code = calculer_par_registre(figures, annees=annees, etablissements=ids, pole_id=pole_id)
    for c in figures:
        valeurs = par_code[c.code]
        par_etab = [
            {"etablissement": e, "n": valeurs.get((e.pk, annee), 0), "precedent": valeurs.get((e.pk, annee - 1), 0)}
            for e in etablissements
        ]
        total = sum(v["n"] for v in par_etab)
        total_prec = sum(v["precedent"] for v in par_etab)
        resultat.append({
            "code": c.code, "libelle": c.libelle, "singulier": c.singulier or c.libelle, "definition": c.definition,
            "pole": c.pole,
            "par_etablissement": par_etab, "total": total, "precedent": total_prec,
            "evolution": None if not total_prec else round(100 * (total - total_prec) / total_prec),
            "serie": [(a, sum(valeurs.get((i, a), 0) for i in ids)) for a in annees],
        })
    return resultat


def etablissements_pour(user, etablissement_id: int | None = None) -> list[Etablissement]:
    qs = Etablissement.objects.filter(pk__in=access.etablissements_visibles(user)).order_by("nom")
    if etablissement_id:
        qs = qs.filter(pk=etablissement_id)
    return list(qs)
