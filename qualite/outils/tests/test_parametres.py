"""The typed query-parameter readers: a value within bounds, or the default, never an exception."""

from datetime import date, datetime

import pytest
from django import forms
from django.http import QueryDict

from qualite.outils import parametres as p


def _q(**valeurs) -> QueryDict:
    q = QueryDict(mutable=True)
    q.update(valeurs)
    return q


HOSTILES = ["²", "١٢", "1" * 22, "\x00", "1\x00", "", " ", "abc", "1e3", "0x10", "+", "-", "--1", "9" * 5000]


class TestAnnee:
    def test_it_reads_a_plain_year(self):
        assert p.annee(_q(annee="2024")) == 2024
        assert p.annee(_q(annee=" 2024 ")) == 2024

    @pytest.mark.parametrize("valeur", [*HOSTILES, "99999", "1899", "2101", "-2024"])
    def test_anything_else_is_the_default(self, valeur):
        assert p.annee(_q(annee=valeur), defaut=2025) == 2025

    def test_absent_is_the_default(self):
        assert p.annee(_q(), defaut=None) is None

    def test_bounds_can_be_narrowed(self):
        assert p.annee(_q(annee="1950"), min=2000, defaut=2020) == 2020


class TestEntier:
    @pytest.mark.parametrize("valeur, attendu", [("7", 7), ("-3", -3), ("0", 0)])
    def test_it_reads_integers(self, valeur, attendu):
        assert p.entier(_q(n=valeur), "n") == attendu

    @pytest.mark.parametrize("valeur", HOSTILES)
    def test_hostile_values_are_the_default(self, valeur):
        assert p.entier(_q(n=valeur), "n", defaut=-1) == -1

    def test_bounds(self):
        assert p.entier(_q(n="11"), "n", min=0, max=10, defaut=5) == 5
        assert p.entier(_q(n="-1"), "n", min=0, max=10, defaut=5) == 5

    def test_identifiant_is_positive_and_fits_bigint(self):
        assert p.identifiant(_q(pk="12"), "pk") == 12
        assert p.identifiant(_q(pk="0"), "pk") is None
        assert p.identifiant(_q(pk="9" * 19), "pk") is None


class TestDate:
    def test_it_reads_an_iso_date(self):
        assert p.date_iso(_q(du="2024-02-29"), "du") == date(2024, 2, 29)

    @pytest.mark.parametrize("valeur", [*HOSTILES, "9999-12-31", "0001-01-01", "2023-02-29", "2024-13-01", "24-01-01",
                                        "2024-1-1 ", "20240101"])
    def test_anything_else_is_the_default(self, valeur):
        assert p.date_iso(_q(du=valeur), "du") is None


class TestChoixTexteIp:
    def test_choix(self):
        assert p.choix(_q(f="csv"), "f", {"csv", "xlsx"}) == "csv"
        assert p.choix(_q(f="pdf"), "f", {"csv", "xlsx"}, defaut="csv") == "csv"
        assert p.choix(_q(f="csv\x00"), "f", {"csv"}) is None

    def test_texte(self):
        assert p.texte(_q(t="bonjour"), "t") == "bonjour"
        assert p.texte(_q(t="a\x00b"), "t") == ""
        assert p.texte(_q(t="a" * 201), "t") == ""
        assert p.texte(_q(t="a" * 10), "t", longueur_max=5, defaut="x") == "x"

    @pytest.mark.parametrize("valeur, attendu", [("10.0.0.1", "10.0.0.1"), ("::1", "::1"), ("2001:DB8::1", "2001:db8::1")])
    def test_ip(self, valeur, attendu):
        assert p.ip(_q(ip=valeur)) == attendu

    @pytest.mark.parametrize("valeur", [*HOSTILES, "999.1.1.1", "10.0.0", "10.0.0.1/24"])
    def test_ip_refuses_anything_else(self, valeur):
        assert p.ip(_q(ip=valeur)) is None


class _Formulaire(p.DatesBornees, forms.Form):
    jour = forms.DateField(required=False)
    instant = forms.DateTimeField(required=False)
    titre = forms.CharField(required=False)


class TestDatesBornees:
    @pytest.mark.parametrize("champ, valeur", [("jour", "0001-01-01"), ("jour", "9999-12-31"), ("jour", "1899-12-31"),
                                               ("instant", "0001-01-01T00:00"), ("instant", "2101-01-01T00:00")])
    def test_a_date_out_of_bounds_is_an_error_next_to_its_field(self, champ, valeur):
        form = _Formulaire({champ: valeur})
        assert not form.is_valid()
        assert form.errors[champ] == ["Saisissez une date comprise entre 1900 et 2100."]

    @pytest.mark.parametrize("champ, valeur", [("jour", "1900-01-01"), ("jour", "2100-12-31"),
                                               ("instant", "2100-12-31T23:59")])
    def test_the_bounds_themselves_are_accepted(self, champ, valeur):
        assert _Formulaire({champ: valeur}).is_valid()

    def test_the_bound_is_added_once(self):
        form = _Formulaire()
        p.borner_dates(form.fields)
        assert form.fields["jour"].validators.count(p.valider_date_bornee) == 1

    def test_the_validator_takes_dates_and_datetimes(self):
        p.valider_date_bornee(datetime(2000, 1, 1))
        with pytest.raises(forms.ValidationError):
            p.valider_date_bornee(date(1, 1, 1))


def test_the_deadline_engine_clamps_instead_of_overflowing():
    from datetime import UTC

    from qualite.echeances.moteur import ajouter_heures, ajouter_mois, fin_de_jour

    assert fin_de_jour(date.max).date() == date.max
    assert ajouter_mois(date(9999, 12, 31), 3) == date.max
    assert ajouter_mois(date(1, 1, 1), -3) == date.min
    assert ajouter_heures(datetime(9999, 12, 31, tzinfo=UTC), 72).year == 9999
