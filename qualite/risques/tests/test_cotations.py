"""Scoring: computed criticités, scales as data, history kept, the map at a past date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualite.risques import selectors, services
from qualite.risques.models import Cotation, NiveauEchelle
from qualite.risques.tests.factories import RisqueFactory

pytestmark = pytest.mark.django_db


def _coter(risque, user, f, g, m, jour):
    return services.risque_coter(risque=risque, par=user, frequence=f, gravite=g, maitrise=m, date=jour)


class TestCriticite:
    def test_brute_et_residuelle_sont_calculees_par_la_base(self, monde):
        risque = RisqueFactory(etablissement=monde.etab_a)
        c = _coter(risque, monde.users["gestionnaire_risques"], 4, 5, 2, date(2026, 1, 10))
        c = Cotation.objects.get(pk=c.pk)
        assert c.criticite_brute == 20
        assert c.poids_maitrise == Decimal("0.75") and c.criticite_residuelle == Decimal("15.00")
        assert c.residuelle == c.criticite_residuelle

    def test_le_coefficient_est_fige_a_la_cotation(self, monde):
        risque = RisqueFactory(etablissement=monde.etab_a)
        c = _coter(risque, monde.users["gestionnaire_risques"], 2, 3, 3, date(2026, 1, 10))
        NiveauEchelle.objects.filter(echelle="maitrise", valeur=3).update(poids=Decimal("0.10"))
        assert Cotation.objects.get(pk=c.pk).criticite_residuelle == Decimal("3.00")  # 6 × 0,50, not 0,10

    def test_un_niveau_hors_echelle_est_refuse_en_francais(self, monde):
        risque = RisqueFactory(etablissement=monde.etab_a)
        NiveauEchelle.objects.filter(echelle="frequence", valeur=5).delete()  # a 1–4 frequency scale
        with pytest.raises(ValidationError) as exc:
            _coter(risque, monde.users["gestionnaire_risques"], 5, 2, 1, date(2026, 1, 10))
        assert "Niveau inconnu : 5" in exc.value.message_dict["frequence"][0]
        assert "1, 2, 3, 4" in exc.value.message_dict["frequence"][0]

    def test_une_cotation_dans_le_futur_est_refusee(self, monde):
        risque = RisqueFactory(etablissement=monde.etab_a)
        with pytest.raises(ValidationError) as exc:
            _coter(risque, None, 1, 1, 1, timezone.localdate() + timedelta(days=2))
        assert "futur" in exc.value.message_dict["date"][0]


class TestHistorique:
    def test_une_nouvelle_cotation_garde_les_precedentes(self, monde):
        risque = RisqueFactory(etablissement=monde.etab_a)
        user = monde.users["gestionnaire_risques"]
        premiere = _coter(risque, user, 4, 4, 1, date(2026, 1, 10))
        _coter(risque, user, 2, 4, 3, date(2026, 6, 1))
        assert list(risque.cotations.order_by("date").values_list("pk", flat=True))[0] == premiere.pk
        assert risque.cotations.count() == 2
        assert services.derniere_cotation(risque).frequence == 2

    def test_la_carte_a_une_date_passee_montre_l_ancienne_cotation(self, monde):
        user = monde.users["gestionnaire_risques"]
        risque = RisqueFactory(etablissement=monde.etab_a)
        _coter(risque, user, 4, 4, 1, date(2026, 1, 10))
        _coter(risque, user, 2, 3, 3, date(2026, 6, 1))
        _, avant = selectors.carte(user, {"date": "2026-03-01"})
        assert avant.comptes == {(4, 4): 1} and avant.risques[0].derniere_criticite_residuelle == Decimal("16.00")
        _, apres = selectors.carte(user, {"date": "2026-06-01"})
        assert apres.comptes == {(2, 3): 1}
        _, trop_tot = selectors.carte(user, {"date": "2025-12-31"})
        assert trop_tot.comptes == {}

    def test_un_risque_archive_quitte_la_carte_a_sa_date_d_archivage(self, monde):
        user = monde.users["gestionnaire_risques"]
        risque = RisqueFactory(etablissement=monde.etab_a)
        _coter(risque, user, 3, 3, 1, date(2026, 1, 10))
        services.risque_enregistrer(par=user, risque=risque, donnees={"archive_le": date(2026, 5, 1)})
        assert selectors.carte(user, {"date": "2026-04-30"})[1].comptes == {(3, 3): 1}
        assert selectors.carte(user, {"date": "2026-05-01"})[1].comptes == {}
