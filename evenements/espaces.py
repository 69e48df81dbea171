"""The adverse events on a service meeting's agenda (qualite/espaces/sources.py): new and closed events of
the space's services, read through evenements_scope for the binôme, anonymised — type, gravity, state and
the summary staff wrote as anonymous; never the description, the place, the people or the declarant."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from qualite.espaces.sources import Point, Source, enregistrer


def points_evenements(*, user, espace, du: date, au: date) -> list[Point]:
    from evenements.access import evenements_scope
    from evenements.models import EvenementIndesirable, Gravite, Statut

    nouveaux = Q(created_at__date__gte=du, created_at__date__lte=au)
    clos = Q(cloture_le__date__gte=du, cloture_le__date__lte=au)
    qs = (evenements_scope(EvenementIndesirable.objects.all(), user)
          .filter(espace.q_services(), etablissement_id=espace.etablissement_id)
          .filter(nouveaux | clos).order_by("created_at", "id")
          .values("id", "reference", "type__libelle", "gravite", "gravite_estimee", "statut", "resume_anonymise",
                  "created_at", "cloture_le"))
    points = []
    for e in qs:
        est_nouveau = du <= e["created_at"].date() <= au
        est_clos = e["cloture_le"] is not None and du <= e["cloture_le"].date() <= au
        quoi = "Déclaré et clôturé" if est_nouveau and est_clos else ("Nouveau" if est_nouveau else "Clôturé")
        gravite = Gravite(e["gravite"] or e["gravite_estimee"]).label
        resume = e["resume_anonymise"].strip() or "Résumé anonymisé non encore rédigé par la gestion des risques."
        points.append(Point(f"ev-{e['id']}", f"{quoi} : évènement {e['reference']} ({e['type__libelle']})",
                            f"Gravité {gravite.lower()} ; {Statut(e['statut']).label.lower()}. {resume}"))
    return points


def enregistrer_source() -> None:
    enregistrer(Source("evenements", "Évènements indésirables nouveaux et clôturés", points_evenements, 10))
