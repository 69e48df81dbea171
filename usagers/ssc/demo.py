"""Demo involuntary-care measures: one just admitted, one a week in, one with an isolation episode."""

from datetime import date, timedelta

from django.utils import timezone

from qualite.organisation.models import Service, Utilisateur
from usagers.ssc import services
from usagers.ssc.models import MesureIsolement, MesureSoinsSansConsentement


def charger_demo():
    if MesureSoinsSansConsentement.objects.filter(patient__ipp="DEMO-0001").exists():
        return
    bureau = Utilisateur.objects.get(username="admissions")
    unite = Service.objects.filter(nom__startswith="Psychiatrie adulte").order_by("nom").first()
    maintenant = timezone.localtime().replace(second=0, microsecond=0)

    def admettre(ipp, nom, mode, il_y_a, **tiers):
        return services.mesure_admettre(par=bureau, service=unite, patient={
            "ipp": ipp, "nom": nom, "prenom": "Démo", "date_naissance": date(1984, 6, 15)},
            mesure={"mode": mode, "t0": maintenant - il_y_a, **tiers})

    def acte(m, type_, apres, auteur, **kw):
        return services.acte_ajouter(mesure=m, par=bureau, donnees={"type": type_, "date_heure": m.t0 + apres,
                                                                    "auteur": auteur, **kw})

    admettre("DEMO-0001", "Arnaud", "sdt", timedelta(hours=20), tiers_nom="Claire Arnaud", tiers_lien="mère")
    m2 = admettre("DEMO-0002", "Benoît", "spi", timedelta(days=7, hours=3))
    acte(m2, "certificat_24h", timedelta(hours=21), "Dr Jean Psychiatre", psychiatre_etablissement=True, conclusion="maintien")
    acte(m2, "certificat_72h", timedelta(hours=70), "Dr Sarah Interne", psychiatre_etablissement=True,
         conclusion="maintien", forme="hc")
    m3 = admettre("DEMO-0003", "Carpentier", "sdre", timedelta(days=20))
    acte(m3, "certificat_24h", timedelta(hours=22), "Dr Jean Psychiatre", psychiatre_etablissement=True, conclusion="maintien")
    acte(m3, "certificat_72h", timedelta(hours=71), "Dr Jean Psychiatre", psychiatre_etablissement=True,
         conclusion="maintien", forme="hc")
    acte(m3, "saisine_juge", timedelta(days=6), "Direction")
    acte(m3, "decision_juge", timedelta(days=11), "Magistrat du siège", conclusion="maintien")
    debut = m3.t0 + timedelta(days=15)
    for i in range(3):
        services.isolement_enregistrer(mesure=m3, par=bureau, decision=MesureIsolement(
            type="isolement", psychiatre="Dr Jean Psychiatre", debut=debut + timedelta(hours=12 * i),
            fin=debut + timedelta(hours=12 * (i + 1)), surveillance="IDE de l'unité A"))
