"""The list's and the export's wording of a complaint's step follows the one state the step bar shows (it was
computed apart, and a refused meeting showed « En cours d'instruction » in the list, « En médiation » on the page)."""

from datetime import date

import pytest

from usagers.relations.models import Reclamation, StatutReclamation

pytestmark = pytest.mark.django_db

JOURS = {"accuse_le": date(2026, 1, 6), "mediateur_saisi_le": date(2026, 1, 7), "rapport_le": date(2026, 1, 20)}


@pytest.mark.parametrize("faits, statut, etape", [
    ({}, StatutReclamation.RECUE, "Reçue"),
    ({"accuse_le"}, StatutReclamation.EN_INSTRUCTION, "En cours d'instruction"),
    ({"accuse_le", "mediateur_saisi_le"}, StatutReclamation.EN_MEDIATION, "En médiation"),
    ({"accuse_le", "mediateur_saisi_le", "rapport_le"}, StatutReclamation.RAPPORT_RENDU,
     "Rapport du médiateur rendu, à présenter en CDU"),
])
def test_l_etape_de_la_liste_dit_l_etat_de_la_barre(monde, faits, statut, etape):
    rec = Reclamation(etablissement=monde.etab_a, nature="plainte", recue_le=date(2026, 1, 5),
                      **{k: v for k, v in JOURS.items() if k in faits})
    assert rec.statut == statut and rec.etape == etape


def test_une_rencontre_refusee_reste_en_mediation_dans_la_liste(monde):
    rec = Reclamation(etablissement=monde.etab_a, nature="plainte", recue_le=date(2026, 1, 5), accuse_le=date(2026, 1, 6),
                      mediateur_saisi_le=date(2026, 1, 7), mediation_refusee=True)
    assert rec.statut == StatutReclamation.EN_MEDIATION
    assert rec.etape == "En médiation, rencontre refusée par le plaignant"
