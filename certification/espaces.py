"""Certification on a service meeting's agenda and in its annual review (qualite/espaces/sources.py):
indicators against their targets, EPP results, audits and evaluations of the space's services, each read
through the certification access rules for the reader."""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, F

from qualite.espaces.sources import Indicateurs, Point, Source, enregistrer, enregistrer_indicateurs


def _nombre(valeur) -> str:
    return f"{valeur:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def points_indicateurs(*, user, espace, du: date, au: date) -> list[Point]:
    from certification.access import certification_scope_valeurs
    from certification.models import Indicateur, ValeurIndicateur

    qs = (certification_scope_valeurs(ValeurIndicateur.objects.all(), user)
          .filter(espace.q_services(pole="service__pole_id"), etablissement_id=espace.etablissement_id,
                  service__isnull=False, periode__gte=du, periode__lte=au)
          .order_by("indicateur__libelle", "periode", "service__nom")
          .values("id", "valeur", "periode", "service__nom", "indicateur__libelle", "indicateur__unite",
                  "indicateur__cible", "indicateur__sens"))
    points = []
    for v in qs:
        ind = Indicateur(cible=v["indicateur__cible"], sens=v["indicateur__sens"])
        atteinte = ind.atteint(v["valeur"])
        unite = f" {v['indicateur__unite']}" if v["indicateur__unite"] else ""
        cible = (f"cible {_nombre(v['indicateur__cible'])}{unite} : "
                 f"{'atteinte' if atteinte else 'non atteinte'}") if atteinte is not None else "sans cible"
        points.append(Point(f"valeur-{v['id']}", f"Indicateur : {v['indicateur__libelle']} ({v['service__nom']})",
                            f"{_nombre(v['valeur'])}{unite} pour la période du {v['periode']:%d/%m/%Y} — {cible}."))
    return points


def points_evaluations(*, user, espace, du: date, au: date) -> list[Point]:
    from certification.access import certification_scope
    from certification.models import EPP, Audit, Evaluation

    points = []
    for a in (certification_scope(Audit.objects.all(), user)
              .filter(espace.q_services(pole="service__pole_id"), etablissement_id=espace.etablissement_id,
                      date__gte=du, date__lte=au).order_by("date", "id")):
        points.append(Point(f"audit-{a.pk}", f"Audit : {a.titre}", f"{a.date:%d/%m/%Y}. {a.constats}".strip()))
    for e in (certification_scope(Evaluation.objects.all(), user)
              .filter(espace.q_services(pole="service__pole_id"), etablissement_id=espace.etablissement_id,
                      date__gte=du, date__lte=au).order_by("date", "id")):
        points.append(Point(f"evaluation-{e.pk}", f"Évaluation : {e.get_methode_display()} du {e.date:%d/%m/%Y}",
                            e.constats))
    for epp in (certification_scope(EPP.objects.all(), user, pole="pole_id")
                .filter(etablissement_id=espace.etablissement_id, pole_id=espace.pole_id, etat=EPP.Etat.TERMINEE,
                        date_fin__gte=du, date_fin__lte=au).order_by("date_fin", "id")):
        points.append(Point(f"epp-{epp.pk}", f"Résultats d'EPP : {epp.theme}", f"Terminée le {epp.date_fin:%d/%m/%Y}."))
    return points


def indicateurs_annee(*, user, espace, annee: int) -> list[dict]:
    """The year's mean of each indicator over the space's services, against its target (one SQL query)."""
    from certification.access import certification_scope_valeurs
    from certification.models import Indicateur, ValeurIndicateur

    lignes = (certification_scope_valeurs(ValeurIndicateur.objects.all(), user)
              .filter(espace.q_services(pole="service__pole_id"), etablissement_id=espace.etablissement_id,
                      service__isnull=False, periode__year=annee)
              .values("indicateur_id", libelle=F("indicateur__libelle"), unite=F("indicateur__unite"),
                      cible=F("indicateur__cible"), sens=F("indicateur__sens"))
              .annotate(moyenne=Avg("valeur"), mesures=Count("id")).order_by("libelle"))
    resultat = []
    for ligne in lignes:
        atteinte = Indicateur(cible=ligne["cible"], sens=ligne["sens"]).atteint(ligne["moyenne"])
        resultat.append({**ligne, "atteinte": atteinte, "moyenne_texte": _nombre(ligne["moyenne"]),
                         "cible_texte": _nombre(ligne["cible"]) if ligne["cible"] is not None else "—"})
    return resultat


def enregistrer_source() -> None:
    enregistrer(Source("indicateurs", "Indicateurs et leurs cibles", points_indicateurs, 30))
    enregistrer(Source("evaluations", "Résultats d'EPP, d'audits et d'évaluations", points_evaluations, 40))
    enregistrer_indicateurs(Indicateurs("certification", indicateurs_annee))
