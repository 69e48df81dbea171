"""The core's agenda sources: the PAQSS actions of the space's services, and the successes recorded in the
space. The domains' sources live in each domain (evenements/espaces.py...)."""

from __future__ import annotations

from datetime import date, timedelta

from qualite.espaces.sources import Point

# An action due within this many days after the meeting is on its agenda, with the late ones.
HORIZON_JOURS = 30


def points_actions(*, user, espace, du: date, au: date) -> list[Point]:
    from qualite.paqss.access import actions_scope
    from qualite.paqss.models import ActionAmelioration

    qs = (actions_scope(ActionAmelioration.objects.all(), user)
          .filter(espace.q_services(), etablissement_id=espace.etablissement_id)
          .filter(ActionAmelioration.q_ouvertes(), echeance__lte=au + timedelta(days=HORIZON_JOURS))
          .order_by("echeance", "id").values("id", "titre", "echeance", "statut", "avancement"))
    points = []
    for a in qs:
        retard = a["echeance"] < au
        etat = f"en retard depuis le {a['echeance']:%d/%m/%Y}" if retard else f"échéance le {a['echeance']:%d/%m/%Y}"
        statut = ActionAmelioration.Statut(a["statut"]).label
        points.append(Point(f"action-{a['id']}", f"{'En retard' if retard else 'Due'} : {a['titre']}",
                            f"Action n° {a['id']}, {statut.lower()}, {a['avancement']} % — {etat}."))
    return points


def points_succes(*, user, espace, du: date, au: date) -> list[Point]:
    return [Point(f"succes-{s.pk}", s.titre, f"{s.date:%d/%m/%Y}. {s.description}".strip())
            for s in espace.succes.filter(date__gte=du, date__lte=au).order_by("date", "id")]
