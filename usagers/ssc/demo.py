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


# Seed 000: 1 182 involuntary-care measures a year (the établissements with a psychiatry pôle).
MESURES_PAR_AN = 1180
DUREE_MOYENNE_JOURS = 18  # most measures are lifted within weeks; a few last for months
EN_COURS_A_JOUR = {"taux_24h": 0.99, "taux_72h": 0.99, "taux_a_jour": 0.93}


def charger_historique(historique) -> dict[str, int]:
    """Years of measures: each file's records drawn like `generer_mesures_ssc`, its lifting computed by the
    product's rule (date_levee). Ended files are written by COPY; the ones still running go through
    actes_ajouter_en_lot (same checks, legal calendar and deadlines recalculated)."""
    from collections import Counter

    from qualite.organisation.models import Compteur
    from qualite.outils import registres
    from qualite.outils.copie import horodatage_libre, inserer_historise
    from usagers.ssc.calendrier import Acte, TypeActe, date_levee
    from usagers.ssc.management.commands.generer_mesures_ssc import LIENS, MODES, NOMS, PRENOMS, plan_actes
    from usagers.ssc.models import ActeMesure, PatientSSC

    rng = historique.rng("ssc")
    bureau = Utilisateur.objects.get(username="admissions")
    unites = list(Service.objects.filter(actif=True, pole__nom__icontains="psychiatrie").select_related("pole"))
    if not unites:
        return {}
    maintenant = timezone.now()
    t0s = sorted(historique.instant(rng, annee).replace(second=0, microsecond=0)
                 for annee in historique.liste_annees() for _ in range(historique.nombre(MESURES_PAR_AN, annee)))
    premiers = {annee: Compteur.reserver("SSC", annee, nombre=n)
                for annee, n in Counter(timezone.localtime(t).year for t in t0s).items()}
    patients, mesures, actes_clos, en_cours = [], [], [], []
    for n, t0 in enumerate(t0s):
        unite = rng.choice(unites)
        etab_id = unite.pole.etablissement_id
        patient = PatientSSC(etablissement_id=etab_id, ipp=f"DEMO-H{n:06d}", nom=rng.choice(NOMS),
                             prenom=rng.choice(PRENOMS), date_naissance=date(1945, 1, 1) + timedelta(days=rng.randint(0, 60 * 365)),
                             created_by=bureau, created_at=t0, updated_at=t0)
        patients.append(patient)
        mode = rng.choices(*MODES)[0]
        tiers = mode in ("sdt", "sdt_urgence")
        annee = timezone.localtime(t0).year
        mesure = MesureSoinsSansConsentement(
            patient=patient, etablissement_id=etab_id, pole_id=unite.pole_id, service=unite, mode=mode, t0=t0,
            reference=f"SSC-{annee}-{premiers[annee]:05d}",
            tiers_nom=f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}" if tiers else "",
            tiers_lien=rng.choice(LIENS) if tiers else "", created_by=bureau, created_at=t0, updated_at=t0)
        premiers[annee] += 1
        mesures.append(mesure)
        fin = t0 + timedelta(days=min(400.0, rng.expovariate(1 / DUREE_MOYENNE_JOURS)) + 3)
        # The files still running are kept up to date by the admissions office, but for a few late ones.
        plan = plan_actes(mode, t0, min(fin, maintenant), rng, **({} if fin < maintenant else EN_COURS_A_JOUR))
        if fin < maintenant:
            plan.append({"type": TypeActe.LEVEE, "date_heure": fin.replace(second=0, microsecond=0),
                         "auteur": "Directeur" if mode in ("sdt", "sdt_urgence", "spi") else "Préfet"})
            mesure.levee_le = date_levee(mode, t0, [Acte(a["type"], a["date_heure"], a.get("conclusion", ""),
                                                         a.get("forme", "")) for a in plan])
            mesure.updated_at = mesure.levee_le
            actes_clos += [(mesure, a) for a in plan]
        else:
            en_cours.append((mesure, plan))
    with horodatage_libre(PatientSSC, MesureSoinsSansConsentement, ActeMesure):
        inserer_historise(PatientSSC, patients)
        for m in mesures:
            m.patient_id = m.patient.pk
        inserer_historise(MesureSoinsSansConsentement, mesures)
        defauts = {"auteur": "", "psychiatre_etablissement": False, "conclusion": "", "forme": ""}
        inserer_historise(ActeMesure, [ActeMesure(mesure_id=m.pk, created_by=bureau, created_at=a["date_heure"],
                                        updated_at=a["date_heure"], **{**defauts, **a}) for m, a in actes_clos])
    # The files still open: each record checked in order, the calendar and its deadlines computed once.
    resultats = services.actes_ajouter_en_lot(par=bureau, actes=[(m, a) for m, plan in en_cours for a in plan])
    for m, plan in en_cours:
        if not plan:
            services.mesure_recalculer(m)
    for modele in (PatientSSC, MesureSoinsSansConsentement, ActeMesure):
        registres.modifie(modele)
    return {"mesures de soins sans consentement": len(mesures), "dont en cours": len(en_cours),
            "certificats et décisions": len(actes_clos) + sum(1 for r in resultats if isinstance(r, ActeMesure))}
