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
    def test_lit_une_annee_simple(self):
        assert p.annee(_q(annee="2024")) == 2024
        assert p.annee(_q(annee=" 2024 ")) == 2024

    @pytest.mark.parametrize("valeur", [*HOSTILES, "99999", "1899", "2101", "-2024"])
    def test_tout_le_reste_donne_la_valeur_par_defaut(self, valeur):
        assert p.annee(_q(annee=valeur), defaut=2025) == 2025

    def test_absent_donne_la_valeur_par_defaut(self):
        assert p.annee(_q(), defaut=None) is None

    def test_les_bornes_peuvent_etre_resserrees(self):
        assert p.annee(_q(annee="1950"), min=2000, defaut=2020) == 2020


class TestEntier:
    @pytest.mark.parametrize("valeur, attendu", [("7", 7), ("-3", -3), ("0", 0)])
    def test_lit_les_entiers(self, valeur, attendu):
        assert p.entier(_q(n=valeur), "n") == attendu

    @pytest.mark.parametrize("valeur", HOSTILES)
    def test_les_valeurs_hostiles_donnent_la_valeur_par_defaut(self, valeur):
        assert p.entier(_q(n=valeur), "n", defaut=-1) == -1

    def test_bornes(self):
        assert p.entier(_q(n="11"), "n", min=0, max=10, defaut=5) == 5
        assert p.entier(_q(n="-1"), "n", min=0, max=10, defaut=5) == 5

    def test_identifiant_positif_et_tient_dans_un_bigint(self):
        assert p.identifiant(_q(pk="12"), "pk") == 12
        assert p.identifiant(_q(pk="0"), "pk") is None
        assert p.identifiant(_q(pk="9" * 19), "pk") is None


class TestDate:
    def test_lit_une_date_iso(self):
        assert p.date_iso(_q(du="2024-02-29"), "du") == date(2024, 2, 29)

    @pytest.mark.parametrize("valeur", [*HOSTILES, "9999-12-31", "0001-01-01", "2023-02-29", "2024-13-01", "24-01-01",
                                        "2024-1-1 ", "20240101"])
    def test_tout_le_reste_donne_la_valeur_par_defaut(self, valeur):
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
    def test_ip_refuse_tout_le_reste(self, valeur):
        assert p.ip(_q(ip=valeur)) is None


class _Formulaire(p.DatesBornees, forms.Form):
    jour = forms.DateField(required=False)
    instant = forms.DateTimeField(required=False)
    titre = forms.CharField(required=False)


class TestDatesBornees:
    @pytest.mark.parametrize("champ, valeur", [("jour", "0001-01-01"), ("jour", "9999-12-31"), ("jour", "1899-12-31"),
                                               ("instant", "0001-01-01T00:00"), ("instant", "2101-01-01T00:00")])
    def test_une_date_hors_bornes_est_une_erreur_pres_de_son_champ(self, champ, valeur):
        form = _Formulaire({champ: valeur})
        assert not form.is_valid()
        assert form.errors[champ] == ["Saisissez une date comprise entre 1900 et 2100."]

    @pytest.mark.parametrize("champ, valeur", [("jour", "1900-01-01"), ("jour", "2100-12-31"),
                                               ("instant", "2100-12-31T23:59")])
    def test_les_bornes_elles_memes_sont_acceptees(self, champ, valeur):
        assert _Formulaire({champ: valeur}).is_valid()

    def test_la_borne_est_ajoutee_une_seule_fois(self):
        form = _Formulaire()
        p.borner_dates(form.fields)
        assert form.fields["jour"].validators.count(p.valider_date_bornee) == 1

    def test_le_validateur_accepte_dates_et_dates_heures(self):
        p.valider_date_bornee(datetime(2000, 1, 1))
        with pytest.raises(forms.ValidationError):
            p.valider_date_bornee(date(1, 1, 1))


def test_le_moteur_d_echeances_borne_au_lieu_de_deborder():
    from datetime import UTC

    from qualite.echeances.moteur import ajouter_heures, ajouter_mois, fin_de_jour

    assert fin_de_jour(date.max).date() == date.max
    assert ajouter_mois(date(9999, 12, 31), 3) == date.max
    assert ajouter_mois(date(1, 1, 1), -3) == date.min
    assert ajouter_heures(datetime(9999, 12, 31, tzinfo=UTC), 72).year == 9999
