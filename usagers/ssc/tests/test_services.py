from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualite.echeances.models import Echeance
from qualite.echeances.moteur import echeances_de
from usagers.ssc import services
from usagers.ssc.models import ActeMesure, DocumentAdmission, MesureIsolement, MesureSoinsSansConsentement, PatientSSC

pytestmark = pytest.mark.django_db
S = Echeance.Statut


def _acte(mesure, monde, type_, delta, **kw):
    kw.setdefault("auteur", "Dr Psy Un")
    kw.setdefault("psychiatre_etablissement", True)
    if type_.startswith("certificat"):
        kw.setdefault("conclusion", "maintien")
    if type_ == "certificat_72h":
        kw.setdefault("forme", "hc")
    return services.acte_ajouter(mesure=mesure, par=monde.users["bureau_admissions"],
                                 donnees={"type": type_, "date_heure": mesure.t0 + delta, **kw})


def _par_regle(mesure):
    return {(e.regle.code, e.cle): e for e in echeances_de(mesure)}


def test_l_admission_enregistre_le_calendrier_legal(admettre):
    m = admettre("sdt")
    codes = {code for code, _ in _par_regle(m)}
    assert {"ssc-certificat-24h", "ssc-certificat-72h", "ssc-certificat-mensuel-sdt", "ssc-saisine-juge",
            "ssc-decision-juge", "ssc-avis-college"} <= codes
    assert m.reference.startswith("SSC-")
    e24 = _par_regle(m)[("ssc-certificat-24h", "")]
    assert e24.echeance == m.t0 + timedelta(hours=24)
    assert e24.statut_calcule == S.EN_RETARD  # admitted 10 days ago, nothing recorded


def test_meme_ipp_pour_une_autre_personne_refuse_sans_rien_enregistrer(admettre, monde):
    admettre("sdt", ipp="IPP-1")
    with pytest.raises(ValidationError) as exc:
        services.mesure_admettre(par=monde.users["bureau_admissions"], service=monde.service_a,
                                 patient={"ipp": "IPP-1", "nom": "Autre", "prenom": "X", "date_naissance": timezone.localdate()},
                                 mesure={"mode": "spi", "t0": timezone.now() - timedelta(hours=1)})
    assert "ipp" in exc.value.error_dict
    assert MesureSoinsSansConsentement.objects.count() == 1 and PatientSSC.objects.count() == 1


def test_les_certificats_satisfont_et_une_annulation_rouvre(admettre, monde):
    m = admettre("sdt")
    c24 = _acte(m, monde, "certificat_24h", timedelta(hours=20))
    assert _par_regle(m)[("ssc-certificat-24h", "")].statut_calcule == S.SATISFAIT
    services.acte_annuler(acte=c24, par=monde.users["bureau_admissions"], motif="Saisi sur la mauvaise mesure")
    assert _par_regle(m)[("ssc-certificat-24h", "")].statut_calcule == S.EN_RETARD


@pytest.mark.parametrize("type_, delta, champ, message", [
    ("certificat_24h", timedelta(hours=-1), "date_heure", "antérieure à l'admission"),
    ("levee", timedelta(minutes=-30), "date_heure", "antérieure à l'admission"),
    ("certificat_24h", timedelta(days=30), "date_heure", "futur"),
])
def test_des_dates_impossibles_sont_refusees(admettre, monde, type_, delta, champ, message):
    m = admettre("sdt")
    with pytest.raises(ValidationError) as exc:
        _acte(m, monde, type_, delta)
    assert message in exc.value.error_dict[champ][0].messages[0]
    assert not ActeMesure.objects.exists()


def test_un_certificat_72h_avant_celui_de_24h_est_refuse(admettre, monde):
    m = admettre("sdt")
    _acte(m, monde, "certificat_24h", timedelta(hours=23))
    with pytest.raises(ValidationError) as exc:
        _acte(m, monde, "certificat_72h", timedelta(hours=22), auteur="Dr Psy Deux")
    assert "ne peut précéder celui de 24 h" in str(exc.value)
    assert ActeMesure.objects.count() == 1


def test_un_certificat_du_medecin_d_admission_est_refuse(admettre, monde):
    m = admettre("sdt")
    DocumentAdmission.objects.create(mesure=m, type="certificat", date=m.t0 - timedelta(hours=3), auteur="Dr Psy Un",
                                     created_by=monde.users["bureau_admissions"])
    with pytest.raises(ValidationError) as exc:
        _acte(m, monde, "certificat_24h", timedelta(hours=20))
    assert "auteur" in exc.value.error_dict


def test_l_urgence_exige_deux_psychiatres_differents(admettre, monde):
    m = admettre("sdt_urgence")
    _acte(m, monde, "certificat_24h", timedelta(hours=20), auteur="Dr Psy Un")
    with pytest.raises(ValidationError) as exc:
        _acte(m, monde, "certificat_72h", timedelta(hours=70), auteur="dr psy  un")
    assert "deux psychiatres différents" in str(exc.value)


def test_certificat_24h_de_fin_leve_une_sdt_et_echeances_suivantes_sans_objet(admettre, monde):
    m = admettre("sdt")
    _acte(m, monde, "certificat_24h", timedelta(hours=20), conclusion="fin")
    m.refresh_from_db()
    assert m.levee_le == m.t0 + timedelta(hours=20)
    par = _par_regle(m)
    assert par[("ssc-certificat-72h", "")].sans_objet
    assert par[("ssc-certificat-24h", "")].statut_calcule == S.SATISFAIT
    with pytest.raises(ValidationError, match="levée"):
        _acte(m, monde, "saisine_juge", timedelta(days=2), auteur="Direction")


def test_le_meme_certificat_ne_leve_pas_une_sdre(admettre, monde):
    m = admettre("sdre")
    _acte(m, monde, "certificat_24h", timedelta(hours=20), conclusion="fin")
    m.refresh_from_db()
    assert m.levee_le is None


def test_le_detenu_reste_en_hospitalisation_complete(admettre, monde):
    m = admettre("detenu")
    with pytest.raises(ValidationError, match="L3214-1"):
        _acte(m, monde, "programme_soins", timedelta(days=3), auteur="Préfet")


def test_le_retour_en_hc_relance_le_delai_du_juge(admettre, monde):
    m = admettre("sdt", t0=timezone.now() - timedelta(days=9))
    _acte(m, monde, "programme_soins", timedelta(days=4), auteur="Directeur")
    assert ("ssc-saisine-juge", "hc0") not in {k for k, e in _par_regle(m).items() if not e.sans_objet}
    _acte(m, monde, "reintegration_hc", timedelta(days=7), auteur="Directeur")
    nouvelle = _par_regle(m)[("ssc-saisine-juge", "hc1")]
    jour = timezone.localtime(m.t0 + timedelta(days=7)).date()
    assert timezone.localtime(nouvelle.echeance).date() == jour + timedelta(days=8)


class TestConformite:
    def _doc(self, m, monde, type_, delta, **kw):
        return DocumentAdmission.objects.create(mesure=m, type=type_, date=m.t0 + delta,
                                                created_by=monde.users["bureau_admissions"], **kw)

    def test_sdt_sans_documents(self, admettre):
        m = admettre("sdt")
        manques = services.admission_conformite(m, [])
        assert any("Demande du tiers" in x for x in manques)
        assert any("Deux certificats" in x for x in manques)

    def test_sdt_complete_est_conforme(self, admettre, monde):
        m = admettre("sdt")
        docs = [self._doc(m, monde, "demande_tiers", timedelta(hours=-5)),
                self._doc(m, monde, "certificat", timedelta(days=-2), auteur="Dr Ville", medecin_exterieur=True),
                self._doc(m, monde, "certificat", timedelta(hours=-3), auteur="Dr Hôpital", psychiatre_etablissement=True)]
        assert services.admission_conformite(m, docs) == []

    def test_sdt_premier_certificat_interne_et_trop_ancien(self, admettre, monde):
        m = admettre("sdt")
        docs = [self._doc(m, monde, "demande_tiers", timedelta(hours=-5)),
                self._doc(m, monde, "certificat", timedelta(days=-16), auteur="Dr A"),
                self._doc(m, monde, "certificat", timedelta(hours=-3), auteur="Dr B")]
        manques = services.admission_conformite(m, docs)
        assert any("médecin extérieur" in x for x in manques)
        assert any("plus de 15 jours" in x for x in manques)

    def test_un_document_date_apres_t0_est_refuse(self, admettre, monde):
        m = admettre("spi")
        with pytest.raises(ValidationError, match="précède l'admission"):
            services.document_ajouter(mesure=m, par=monde.users["bureau_admissions"],
                                      donnees={"type": "certificat", "date": m.t0 + timedelta(hours=1), "auteur": "Dr X"})


class TestIsolement:
    def _decision(self, m, monde, type_, debut, fin=None, **kw):
        d = MesureIsolement(type=type_, psychiatre="Dr Psy Un", debut=debut, fin=fin, **kw)
        return services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=d)

    def test_une_contention_hors_isolement_est_refusee(self, admettre, monde):
        m = admettre("sdt")
        with pytest.raises(ValidationError, match="pendant un isolement"):
            self._decision(m, monde, "contention", m.t0 + timedelta(days=1), m.t0 + timedelta(days=1, hours=2))

    def test_une_decision_de_plus_de_12h_est_refusee(self, admettre, monde):
        m = admettre("sdt")
        with pytest.raises(ValidationError, match="12 h au plus"):
            self._decision(m, monde, "isolement", m.t0 + timedelta(days=1), m.t0 + timedelta(days=1, hours=13))
        assert not MesureIsolement.objects.exists()

    def test_des_decisions_qui_se_chevauchent_sont_refusees(self, admettre, monde):
        m = admettre("sdt")
        d1 = m.t0 + timedelta(days=1)
        self._decision(m, monde, "isolement", d1, d1 + timedelta(hours=12))
        with pytest.raises(ValidationError, match="Chevauche"):
            self._decision(m, monde, "isolement", d1 + timedelta(hours=6), d1 + timedelta(hours=10))

    def test_48h_d_isolement_exigent_d_informer_le_juge_et_un_proche(self, admettre, monde):
        m = admettre("sdt")
        debut = m.t0 + timedelta(days=2)
        decisions = [self._decision(m, monde, "isolement", debut + timedelta(hours=12 * i),
                                    debut + timedelta(hours=12 * (i + 1))) for i in range(4)]
        # a 5th decision after a 20-hour gap still belongs to the episode (< 48 h apart)
        cinquieme = self._decision(m, monde, "isolement", debut + timedelta(hours=68), debut + timedelta(hours=70))
        par = _par_regle(m)
        info = par[("ssc-isolement-information", f"episode-{decisions[0].pk}")]
        assert info.echeance == debut + timedelta(hours=48)
        assert info.statut_calcule == S.EN_RETARD
        cinquieme.juge_informe_le = debut + timedelta(hours=49)
        cinquieme.proche_informe_le = debut + timedelta(hours=50)
        services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=cinquieme)
        info = _par_regle(m)[("ssc-isolement-information", f"episode-{decisions[0].pk}")]
        assert info.satisfaite_le == debut + timedelta(hours=50)

    def test_seulement_pour_les_patients_en_hospitalisation_complete(self, admettre, monde):
        m = admettre("sdt")
        _acte(m, monde, "programme_soins", timedelta(days=3), auteur="Directeur")
        with pytest.raises(ValidationError, match="hospitalisation complète"):
            self._decision(m, monde, "isolement", m.t0 + timedelta(days=4), m.t0 + timedelta(days=4, hours=2))


def test_la_demo_charge_les_mesures_une_seule_fois(db):
    from django.core.management import call_command

    call_command("demo")
    call_command("demo")
    assert MesureSoinsSansConsentement.objects.count() == 3
    assert Echeance.objects.filter(regle__module="Soins sans consentement").exists()


def test_apres_deux_decisions_du_juge_une_saisine_tous_les_7_jours(admettre, monde):
    from usagers.ssc.models import MesureIsolement

    m = admettre("sdt", t0=timezone.now() - timedelta(days=9))
    debut = m.t0 + timedelta(days=1)
    for i in range(7):  # 84 h of isolation, ongoing
        fin = None if i == 6 else debut + timedelta(hours=12 * (i + 1))
        services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=MesureIsolement(
            type="isolement", psychiatre="Dr Un", debut=debut + timedelta(hours=12 * i), fin=fin))
    for h in (70, 80):
        services.decision_juge_isolement_enregistrer(mesure=m, par=monde.users["bureau_admissions"], donnees={
            "type": "isolement", "date_heure": debut + timedelta(hours=h), "maintien": True})
    e = next(x for x in echeances_de(m) if x.regle.code == "ssc-isolement-saisine-7j")
    assert e.echeance == debut + timedelta(hours=80 + 168)
    assert e.satisfaite_le is None
    with pytest.raises(ValidationError, match="Aucune mesure"):
        services.decision_juge_isolement_enregistrer(mesure=m, par=monde.users["bureau_admissions"], donnees={
            "type": "contention", "date_heure": debut + timedelta(hours=81), "maintien": True})
