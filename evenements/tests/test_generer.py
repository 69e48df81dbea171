from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from evenements.models import EvenementIndesirable, Statut, TypeEvenement
from qualite.organisation.models import Compteur


def generer(**options):
    sortie = StringIO()
    call_command("generer_evenements", stdout=sortie, **options)
    return sortie.getvalue()


def test_genere_le_nombre_demande_dans_l_etablissement(monde):
    avant = timezone.now()
    sortie = generer(nombre=300, annees=3, graine=42, etablissement="CH A")
    apres = timezone.now()

    evs = list(EvenementIndesirable.objects.select_related("service__pole"))
    assert len(evs) == 300
    assert len({e.reference for e in evs}) == 300
    assert all(len(e.reference) <= 20 and e.reference.startswith("EI-") for e in evs)
    assert {e.etablissement_id for e in evs} == {monde.etab_a.pk}
    assert {e.service_id for e in evs} <= {monde.service_a.pk, monde.service_a2.pk}
    assert all(e.pole_id == e.service.pole_id for e in evs)
    debut = avant - timedelta(days=3 * 365.25)
    assert all(debut <= e.survenu_le <= apres for e in evs)
    assert all(e.survenu_le <= e.created_at <= apres for e in evs)
    # Declarants are active users of the établissement (monde: every role in etab_a).
    createurs = {e.created_by_id for e in evs}
    assert createurs and createurs <= set(monde.etab_a.utilisateurs.filter(is_active=True).values_list("pk", flat=True))
    # What the check constraints and the model require.
    assert all(1 <= e.gravite_estimee <= 5 for e in evs)
    assert all(e.gravite is None or 1 <= e.gravite <= 5 for e in evs)
    assert all(e.vraisemblance is None or 1 <= e.vraisemblance <= 5 for e in evs)
    assert all(e.motif_classement for e in evs if e.statut == Statut.CLASSE_SANS_SUITE)
    assert all(e.criteres_eig for e in evs if e.est_eigs)
    assert not any(e.gravite is not None for e in evs if e.statut == Statut.DECLARE)
    assert 0.45 < sum(e.gravite is not None for e in evs) / 300 < 0.75
    assert sum(e.statut == Statut.CLOTURE for e in evs) > 150
    # pghistory wrote one history row per event, under the command's context.
    historique = apps.get_model("evenements", "EvenementIndesirableEvent").objects
    assert historique.filter(pgh_label="insert").count() == 300
    assert historique.filter(pgh_context__metadata__commande="generer_evenements").count() == 300
    assert "300 évènements créés" in sortie


def test_second_passage_sans_collision_de_reference(monde):
    generer(nombre=300, annees=2, graine=1, etablissement="CH A")
    generer(nombre=300, annees=2, graine=1, etablissement="CH A")

    refs = list(EvenementIndesirable.objects.values_list("reference", flat=True))
    assert len(refs) == 600 and len(set(refs)) == 600
    # Each year's counter was bumped by exactly the rows generated for that year...
    for c in Compteur.objects.filter(prefixe="EI"):
        assert c.valeur == sum(r.startswith(f"EI-{c.annee}-") for r in refs)
    # ...so the next real declaration does not collide either.
    annee = timezone.localdate().year
    assert Compteur.prochaine_reference("EI", annee) not in refs


def test_tous_les_etablissements_par_defaut(monde):
    generer(nombre=300, annees=1, graine=3)
    assert set(EvenementIndesirable.objects.values_list("etablissement_id", flat=True)) == {
        monde.etab_a.pk, monde.etab_b.pk,
    }
    # The only user of etab_b is gestionnaire_b.
    assert set(
        EvenementIndesirable.objects.filter(etablissement=monde.etab_b).values_list("created_by_id", flat=True)
    ) == {monde.user_b.pk}


def test_graine_reproductible(monde):
    generer(nombre=50, annees=1, graine=7, etablissement="CH A")
    generer(nombre=50, annees=1, graine=7, etablissement="CH A")
    champs = ("service_id", "type_id", "gravite_estimee", "statut", "gravite", "vraisemblance")
    lignes = list(EvenementIndesirable.objects.order_by("id").values_list(*champs))
    assert lignes[:50] == lignes[50:]


def test_refuse_sans_type_evenement(monde):
    TypeEvenement.objects.all().delete()
    with pytest.raises(CommandError, match="Aucun type d'évènement actif"):
        generer(nombre=10, annees=1)
    assert not EvenementIndesirable.objects.exists()
    assert not Compteur.objects.exists()


@pytest.mark.django_db
def test_refuse_sans_service():
    with pytest.raises(CommandError, match="Aucun service actif"):
        generer(nombre=10, annees=1)


def test_refuse_etablissement_inconnu(monde):
    with pytest.raises(CommandError, match="introuvable"):
        generer(nombre=10, annees=1, etablissement="CH Z")
