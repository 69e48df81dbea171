"""The rule table is the single source of the delays (issue « Every legal clock exact … »): an administrator edits a
rule on the « Règles d'échéance » page, the edit is recorded (who, when, why, history, audit), the records with
deadlines of that rule are recomputed by the background task, and every open deadline of that rule moves — and only
those: other rules' deadlines and deadlines already met stay as they were."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qualite.echeances.delais import LEGAUX
from qualite.echeances.models import Echeance, RegleEcheance
from qualite.organisation.models import AuditEntry
from qualite.outils.dates import en_utc
from qualite.taches.models import TacheDifferee
from qualite.taches.services import taches_traiter
from usagers.relations import services as relations
from usagers.ssc import services as ssc

pytestmark = pytest.mark.django_db


def _etat():
    """Every deadline, by (object, rule, key): its due instant and whether it is met."""
    return {(e.content_type_id, e.object_id, e.regle.code, e.cle): (e.echeance, e.satisfaite_le is not None)
            for e in Echeance.objects.select_related("regle")}


def _modifier(client, code, **champs):
    regle = RegleEcheance.objects.get(code=code)
    donnees = {"avant": regle.delai_texte, "motif": "Décision de la direction du 01/12/2026", **champs}
    return client.post(reverse("qualite:regle_modifier", args=[code]), donnees)


@pytest.fixture
def dossiers(monde, admettre):
    """Three measures (one with its 24 h certificate already recorded) and one complaint."""
    t0 = timezone.localtime() - timedelta(hours=6)
    ouverte = admettre("sdt", t0=t0, ipp="IPP-1")
    autre = admettre("spi", t0=t0 - timedelta(hours=2), ipp="IPP-2")
    tenue = admettre("sdt", t0=t0 - timedelta(hours=4), ipp="IPP-3")
    ssc.acte_ajouter(mesure=tenue, par=monde.users["psychiatre"], donnees={
        "type": "certificat_24h", "date_heure": t0, "auteur": "Dr Blanc", "psychiatre_etablissement": True,
        "conclusion": "maintien"})
    rec = relations.reclamation_enregistrer(par=monde.users["relations_usagers"], services=[], donnees={
        "etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
        "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "objet": "Attente.",
        "recue_le": timezone.localdate() - timedelta(days=2)})
    return {"ouverte": ouverte, "autre": autre, "tenue": tenue, "reclamation": rec}


def test_modifier_un_delai_deplace_ses_echeances_ouvertes_et_seulement_elles(monde, dossiers, client_de):
    avant = _etat()
    admin = monde.users["administrateur"]
    reponse = _modifier(client_de(admin), "ssc-certificat-24h", heures="30")
    assert reponse.status_code == 302

    regle = RegleEcheance.objects.get(code="ssc-certificat-24h")
    assert regle.delai == timedelta(hours=30) and regle.modifiee_par == admin and regle.modifiee_localement
    assert regle.delai_texte == "30 h" and regle.delai_legal == "24 h"
    assert regle.events.count() >= 2  # the history keeps the law's value and the edit
    entree = AuditEntry.objects.get(action="modification", object_id=str(regle.pk))
    assert entree.details["avant"] == "24 h" and entree.details["apres"] == "30 h"
    # The change asked for the recomputation in its own transaction; the worker runs it.
    assert TacheDifferee.objects.filter(tache="qualite.echeances.tasks.recalculer_regle", traitee_le__isnull=True).exists()
    assert taches_traiter() >= 1

    apres = _etat()
    assert set(apres) == set(avant)
    bouge = {cle for cle in avant if avant[cle] != apres[cle]}
    # Exactly the two open 24 h certificates moved, by 6 hours of elapsed time; the one already met did not.
    assert {cle[2] for cle in bouge} == {"ssc-certificat-24h"}
    assert {cle[1] for cle in bouge} == {dossiers["ouverte"].pk, dossiers["autre"].pk}
    for cle in bouge:
        assert en_utc(apres[cle][0]) - en_utc(avant[cle][0]) == timedelta(hours=6)
    ouverte = Echeance.objects.get(object_id=dossiers["ouverte"].pk, regle=regle, content_type__model="mesuresoinssansconsentement")
    assert ouverte.delai_applique == "30 h"
    tenue = Echeance.objects.get(object_id=dossiers["tenue"].pk, regle=regle, content_type__model="mesuresoinssansconsentement")
    assert tenue.delai_applique == "24 h" and tenue.satisfaite_le is not None

    # The measure's page shows the delay each deadline was computed with, against the law's.
    page = client_de(monde.users["bureau_admissions"]).get(reverse("usagers:ssc_mesure", args=[dossiers["ouverte"].pk]))
    assert "délai modifié : 30 h (loi : 24 h)" in page.content.decode()


def test_un_delai_en_jours_des_reclamations_deplace_l_accuse_de_reception(monde, dossiers, client_de):
    avant = _etat()
    assert _modifier(client_de(monde.users["administrateur"]), "rec-accuse", jours="10").status_code == 302
    taches_traiter()
    apres = _etat()
    bouge = {cle for cle in avant if avant[cle] != apres[cle]}
    assert {cle[2] for cle in bouge} == {"rec-accuse"}
    (cle,) = bouge
    assert timezone.localtime(apres[cle][0]).date() - timezone.localtime(avant[cle][0]).date() == timedelta(days=2)
    assert timezone.localtime(apres[cle][0]).date() == dossiers["reclamation"].recue_le + timedelta(days=10)


def test_le_seuil_d_une_decision_d_isolement_vient_de_la_table(monde, admettre):
    """The isolation form refuses a decision longer than the table's delay, not the code's."""
    from django.core.exceptions import ValidationError

    from usagers.ssc.models import MesureIsolement

    m = admettre("sdt", t0=timezone.localtime() - timedelta(days=3))
    debut = timezone.localtime() - timedelta(hours=20)
    onze = MesureIsolement(type="isolement", psychiatre="Dr Un", debut=debut, fin=debut + timedelta(hours=11))
    ssc.isolement_valider(m, onze)  # the law: 12 h
    RegleEcheance.objects.filter(code="ssc-isolement-renouvellement").update(delai=timedelta(hours=10))
    with pytest.raises(ValidationError) as exc:
        ssc.isolement_valider(m, onze)
    assert "vaut 10 h au plus" in str(exc.value.message_dict["fin"])


def test_les_calendriers_purs_prennent_les_delais_qu_on_leur_donne():
    from usagers.ssc.calendrier import calendrier

    t0 = timezone.now()
    delais = {**LEGAUX, "ssc-saisine-juge": LEGAUX["ssc-saisine-juge"].__class__(duree=timedelta(days=10))}
    loi = {p.regle: p.echeance for p in calendrier(mode="sdt", t0=t0, actes=[])}
    local = {p.regle: p.echeance for p in calendrier(mode="sdt", t0=t0, actes=[], delais=delais)}
    assert timezone.localtime(local["ssc-saisine-juge"]).date() - timezone.localtime(loi["ssc-saisine-juge"]).date() == \
        timedelta(days=2)
    assert {k: v for k, v in local.items() if k != "ssc-saisine-juge"} == \
        {k: v for k, v in loi.items() if k != "ssc-saisine-juge"}


@pytest.mark.parametrize(("code", "champs", "champ", "message"), [
    ("rec-accuse", {"jours": "0"}, "jours", "au moins un jour"),
    ("ssc-certificat-24h", {"heures": ""}, "heures", "obligatoire"),
    ("ssc-arrete-maintien-prefet", {"paliers": "1, trois"}, "paliers", "nombres de mois entiers"),
    ("ssc-avis-college", {"mois": "0"}, "mois", "zéro"),
    ("ssc-certificat-24h", {"heures": "30", "motif": ""}, "motif", "obligatoire"),
])
def test_saisie_refusee_message_sous_le_champ_rien_d_ecrit(monde, client_de, code, champs, champ, message):
    avant = RegleEcheance.objects.get(code=code).delai_texte
    reponse = _modifier(client_de(monde.users["administrateur"]), code, **champs)
    assert reponse.status_code == 400
    assert message in " ".join(reponse.context["form"].errors[champ])
    assert RegleEcheance.objects.get(code=code).delai_texte == avant
    assert not TacheDifferee.objects.exists()


def test_deux_administrateurs_le_second_est_averti_pas_ecrase(monde, client_de):
    from qualite.organisation.tests.factories import UtilisateurFactory

    second = UtilisateurFactory(username="admin2", roles=["administrateur"], etablissements=[monde.etab_a])
    page = client_de(second).get(reverse("qualite:regle_modifier", args=["rec-accuse"]))
    avant = page.context["form"].initial["avant"]
    assert _modifier(client_de(monde.users["administrateur"]), "rec-accuse", jours="9").status_code == 302
    reponse = client_de(second).post(reverse("qualite:regle_modifier", args=["rec-accuse"]),
                                     {"avant": avant, "jours": "12", "motif": "Autre avis"})
    assert reponse.status_code == 400
    assert "modifié entre-temps" in " ".join(reponse.context["form"].non_field_errors())
    assert RegleEcheance.objects.get(code="rec-accuse").delai == timedelta(days=9)


def test_seul_l_administrateur_modifie_un_delai(monde, client_de):
    for role in ("gestionnaire_risques", "bureau_admissions", "direction"):
        assert _modifier(client_de(monde.users[role]), "rec-accuse", jours="9").status_code == 403
    assert RegleEcheance.objects.get(code="rec-accuse").delai == timedelta(days=8)
    page = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:regles")).content.decode()
    assert "Modifier" not in page and "24 h" in page


def test_une_migration_ne_defait_pas_le_delai_de_l_administrateur(monde, client_de):
    from qualite.echeances.referentiels import tout_synchroniser

    _modifier(client_de(monde.users["administrateur"]), "rec-accuse", jours="9")
    tout_synchroniser()
    regle = RegleEcheance.objects.get(code="rec-accuse")
    assert regle.delai == timedelta(days=9) and regle.delai_legal == "8 jours" and regle.decompte == "jours"


def test_chaque_regle_a_un_decompte_et_son_delai_de_loi():
    """docs/echeances.md lists every rule: each has its count and (but for dated ones) its delay."""
    regles = list(RegleEcheance.objects.all())
    assert len(regles) >= 30
    for r in regles:
        assert r.decompte, r.code
        assert r.delai_legal or r.decompte == "date", r.code
    texte = open("docs/echeances.md", encoding="utf-8").read()
    manquantes = [r.code for r in regles if f"`{r.code}`" not in texte]
    assert not manquantes, f"règles absentes de docs/echeances.md : {manquantes}"


