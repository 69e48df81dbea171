"""Le registre d'isolement, son import et son écran acceptent une mesure légale aux deux changements
d'heure et refusent une mesure illégale : décisions commençant toutes les 30 minutes, de 20 h la veille
à 6 h, les nuits du 29/03/2026 (02:00 → 03:00) et du 25/10/2026 (03:00 → 02:00).

Légal : 12 h (isolement) ou 6 h (contention) de temps écoulé exactement ; refusé : une minute de plus.
Les instants sont donnés en heure de Paris, comme les donnent un formulaire ou un fichier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qualite.outils import importation
from usagers.ssc import services
from usagers.ssc.models import MesureIsolement

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
ENTETE = ("Référence;Mesure;Type;Psychiatre décideur;Début;Fin;Surveillance;Motif;Juge informé le;"
          "Proche informé le;Juge saisi le\n")
NUITS = {"printemps": datetime(2026, 3, 28, 20, 0, tzinfo=PARIS), "automne": datetime(2026, 10, 24, 20, 0, tzinfo=PARIS)}
DUREES = {"isolement": timedelta(hours=12), "contention": timedelta(hours=6)}
MINUTE = timedelta(minutes=1)


def _debuts(nuit):
    """Every 30 minutes of elapsed time from 20:00 the evening before to 06:00 (Paris), as Paris-aware datetimes."""
    debut = NUITS[nuit].astimezone(UTC)
    fin = (NUITS[nuit] + timedelta(days=1)).replace(hour=6).astimezone(UTC)
    out = []
    while debut <= fin:
        out.append(debut.astimezone(PARIS))
        debut += timedelta(minutes=30)
    return out


def _plus(instant, duree):
    """`duree` of elapsed time after `instant`, in Paris time."""
    return (instant.astimezone(UTC) + duree).astimezone(PARIS)


@pytest.fixture
def mesure(admettre):
    def _mesure(nuit):
        return admettre("sdt", t0=NUITS[nuit] - timedelta(days=5), ipp=f"IPP-{nuit}")
    return _mesure


def _decision(type_, debut, fin):
    return MesureIsolement(type=type_, psychiatre="Dr Un", debut=debut, fin=fin, surveillance="IDE")


def _fmt_fichier(dt):
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M")


def _lisible(dt):
    """Whether a Paris wall time designates this instant alone (the repeated autumn hour does not)."""
    naif = timezone.localtime(dt).replace(tzinfo=None, fold=0)
    return timezone.make_aware(naif).astimezone(UTC) == dt.astimezone(UTC) and \
        naif.replace(tzinfo=PARIS, fold=1).utcoffset() == naif.replace(tzinfo=PARIS, fold=0).utcoffset()


def test_les_nuits_sont_des_nuits_de_changement():
    assert len(_debuts("printemps")) == 19 and len(_debuts("automne")) == 23  # 9 h and 11 h of elapsed time
    assert _plus(NUITS["printemps"], timedelta(hours=12)).hour == 9  # 20:00 + 12 h elapsed = 09:00 at the clock
    assert _plus(NUITS["automne"], timedelta(hours=12)).hour == 7


@pytest.mark.parametrize("nuit", NUITS)
def test_service_isolement_12h_accepte_12h01_refuse(monde, mesure, nuit):
    m = mesure(nuit)
    par = monde.users["psychiatre"]
    for debut in _debuts(nuit):
        services.isolement_valider(m, _decision("isolement", debut, _plus(debut, DUREES["isolement"])))
        with pytest.raises(ValidationError) as exc:
            services.isolement_valider(m, _decision("isolement", debut, _plus(debut, DUREES["isolement"] + MINUTE)))
        assert "vaut 12 h au plus" in exc.value.message_dict["fin"][0], debut
        d = services.isolement_enregistrer(mesure=m, par=par, decision=_decision("isolement", debut, _plus(debut, DUREES["isolement"])))
        d.refresh_from_db()
        assert d.fin - d.debut == DUREES["isolement"]
        d.delete()


@pytest.mark.parametrize("nuit", NUITS)
def test_service_contention_6h_acceptee_6h01_refusee(monde, mesure, nuit):
    m = mesure(nuit)
    par = monde.users["psychiatre"]
    for debut in _debuts(nuit):
        iso = services.isolement_enregistrer(mesure=m, par=par, decision=_decision("isolement", debut, _plus(debut, DUREES["isolement"])))
        services.isolement_valider(m, _decision("contention", debut, _plus(debut, DUREES["contention"])))
        with pytest.raises(ValidationError) as exc:
            services.isolement_valider(m, _decision("contention", debut, _plus(debut, DUREES["contention"] + MINUTE)))
        assert "vaut 6 h au plus" in exc.value.message_dict["fin"][0], debut
        services.isolement_enregistrer(mesure=m, par=par, decision=_decision("contention", debut, _plus(debut, DUREES["contention"])))
        MesureIsolement.objects.filter(mesure=m).exclude(pk=iso.pk).delete()
        iso.delete()


@pytest.mark.parametrize("nuit", NUITS)
def test_echeance_de_renouvellement_12h_ecoulees(monde, mesure, nuit):
    m = mesure(nuit)
    debut = NUITS[nuit]
    d = services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=_decision("isolement", debut, None))
    ech = m.echeances_renouvellement = [e for e in services.isolement_echeances(m, maintenant=_plus(debut, timedelta(hours=1)))
                                        if e.cle == f"decision-{d.pk}"]
    assert ech[0].echeance.astimezone(UTC) - debut.astimezone(UTC) == timedelta(hours=12)


def _importer(contenu, user):
    analyse = importation.analyser(importation.REGISTRES["isolements_ssc"], contenu.encode(), utilisateur=user, nom_fichier="f.csv")
    return importation.ecrire(analyse, utilisateur=user)


@pytest.mark.parametrize("nuit", NUITS)
@pytest.mark.parametrize("type_", DUREES)
def test_import_registre_legal_accepte_illegal_refuse(monde, mesure, nuit, type_):
    """One file per start: the legal row is written, the row one minute too long is refused at « Fin »
    (and, all-or-nothing, nothing of its file is written). Wall times of the repeated autumn hour, which a
    file cannot tell apart, are left out."""
    m = mesure(nuit)
    user = monde.users["bureau_admissions"]
    essais = 0
    for debut in _debuts(nuit):
        legal, illegal = _plus(debut, DUREES[type_]), _plus(debut, DUREES[type_] + MINUTE)
        if not all(_lisible(x) for x in (debut, legal, illegal)):
            continue
        essais += 1
        iso = None
        if type_ == "contention":
            iso = services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"],
                                                 decision=_decision("isolement", debut, _plus(debut, DUREES["isolement"])))
        libelle = type_.capitalize()
        n = MesureIsolement.objects.count()
        bilan = _importer(ENTETE + f";{m.reference};{libelle};Dr Deux;{_fmt_fichier(debut)};{_fmt_fichier(illegal)};IDE;;;;\n", user)
        assert (2, "Fin") in [(e.ligne, e.colonne) for e in bilan.erreurs], (debut, bilan.erreurs)
        assert MesureIsolement.objects.count() == n
        bilan = _importer(ENTETE + f";{m.reference};{libelle};Dr Deux;{_fmt_fichier(debut)};{_fmt_fichier(legal)};IDE;;;;\n", user)
        assert bilan.erreurs == [] and bilan.crees == 1, (debut, bilan.erreurs)
        cree = MesureIsolement.objects.get(psychiatre="Dr Deux")
        assert cree.fin - cree.debut == DUREES[type_]
        cree.delete()
        if iso is not None:
            iso.delete()
    assert essais >= 15


def _fmt_ecran(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("nuit", NUITS)
def test_ecran_isolement_legal_accepte_illegal_refuse(monde, client_de, mesure, nuit):
    m = mesure(nuit)
    client = client_de(monde.users["psychiatre"])
    debut = NUITS[nuit]  # 20:00 the evening before: 12 h later is 09:00 (spring) or 07:00 (autumn) at the clock
    url = reverse("usagers:ssc_isolement", args=[m.pk])

    def donnees(fin):
        return {"iso-type": "isolement", "iso-psychiatre": "Dr Un", "iso-debut": _fmt_ecran(debut),
                "iso-fin": _fmt_ecran(fin), "iso-surveillance": "IDE", "iso-motif": "Agitation"}

    response = client.post(url, donnees(_plus(debut, timedelta(hours=12, minutes=1))))
    assert MesureIsolement.objects.filter(mesure=m).count() == 0
    assert "vaut 12 h au plus" in response.content.decode()
    response = client.post(url, donnees(_plus(debut, timedelta(hours=12))))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    d = MesureIsolement.objects.get(mesure=m)
    assert d.fin - d.debut == timedelta(hours=12)


def test_nouvelle_saisine_168h_apres_la_derniere_decision_du_juge_a_travers_l_automne(monde, admettre):
    m = admettre("sdt", t0=datetime(2026, 10, 10, 14, 30, tzinfo=PARIS), ipp="IPP-7j")
    services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"],
                                   decision=_decision("isolement", datetime(2026, 10, 18, 8, 0, tzinfo=PARIS), None))
    derniere = datetime(2026, 10, 18, 20, 0, tzinfo=PARIS)
    for quand in (datetime(2026, 10, 18, 10, 0, tzinfo=PARIS), derniere):
        services.decision_juge_isolement_enregistrer(mesure=m, par=monde.users["bureau_admissions"],
                                                     donnees={"type": "isolement", "date_heure": quand, "maintien": True})
    (prevue,) = [p for p in services.isolement_echeances(m) if p.regle == "ssc-isolement-saisine-7j"]
    assert prevue.echeance.astimezone(UTC) - derniere.astimezone(UTC) == timedelta(hours=168)
    assert prevue.echeance.astimezone(PARIS).strftime("%d/%m %H:%M") == "25/10 19:00"
