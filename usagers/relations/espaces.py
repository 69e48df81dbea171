"""Complaints and praise on a service meeting's agenda (qualite/espaces/sources.py): those concerning the
space's services, read through reclamations_scope for the reader and always in the anonymised shape the
CDU receives (reclamations_anonymisees): nature, categories and the validated anonymous summary only."""

from __future__ import annotations

from datetime import date

from qualite.espaces.sources import Point, Source, enregistrer


def points_reclamations(*, user, espace, du: date, au: date) -> list[Point]:
    from usagers.relations.access import reclamations_scope
    from usagers.relations.models import CategorieReclamation, NatureReclamation, Reclamation
    from usagers.relations.selectors import reclamations_anonymisees

    du_service = Reclamation.objects.filter(espace.q_services(service="services", pole="services__pole_id"))
    qs = (reclamations_scope(Reclamation.objects.all(), user)
          .filter(pk__in=du_service.values("pk"), etablissement_id=espace.etablissement_id,
                  recue_le__gte=du, recue_le__lte=au))
    points = []
    for r in reclamations_anonymisees(qs).order_by("recue_le", "id"):
        nature = NatureReclamation(r["nature"]).label
        categories = ", ".join(CategorieReclamation(c).label.lower() for c in r["categories"])
        resume = r["resume"] or "Résumé anonymisé non encore validé par les relations avec les usagers."
        points.append(Point(f"rec-{r['id']}", f"{nature} reçue le {r['recue_le']:%d/%m/%Y}",
                            f"{categories.capitalize()}. {resume}".strip()))
    return points


def enregistrer_source() -> None:
    enregistrer(Source("reclamations", "Plaintes, réclamations et éloges (anonymisés)", points_reclamations, 50))
