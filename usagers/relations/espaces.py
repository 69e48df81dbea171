"""Complaints and praise on a service meeting's agenda (qualite/espaces/sources.py): those concerning the
space's services, always in the anonymised shape the CDU receives (reclamations_anonymisees): nature,
categories and the validated anonymous summary only. The register's rule for the agenda: what the reader may
see through reclamations_scope, and — anonymised as for the CDU — the complaints about the services of a
space the reader runs (the binôme discusses its own service's patient experience, seed 003)."""

from __future__ import annotations

from datetime import date

from qualite.espaces.sources import Point, Source, enregistrer


def points_reclamations(*, user, espace, du: date, au: date) -> list[Point]:
    from qualite.espaces.access import peut_animer
    from usagers.relations.access import reclamations_scope
    from usagers.relations.models import CategorieReclamation, NatureReclamation, Reclamation
    from usagers.relations.selectors import reclamations_anonymisees

    du_service = Reclamation.objects.filter(espace.q_services(service="services", pole="services__pole_id"))
    lisibles = (Reclamation.objects.non_archivees() if peut_animer(user, espace)
                else reclamations_scope(Reclamation.objects.all(), user))
    qs = (lisibles
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
