"""Demo user-relations data: CDU members and sessions, complaints at each step, record requests."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from qualite.organisation.models import Etablissement, Service, Utilisateur
from usagers.relations import services
from usagers.relations.models import MembreCDU, Reclamation, SeanceCDU
from usagers.relations.services import demande_valider, reclamation_valider


def charger_demo():
    if Reclamation.objects.filter(auteur_nom="Odile Marchand (démo)").exists():
        return
    etab = Etablissement.objects.get(nom="Centre hospitalier de Valmont")
    par = Utilisateur.objects.get(username="relations")
    aujourdhui = timezone.localdate()
    debut = date(aujourdhui.year - 1, 9, 1)
    for nom, role, asso in [
        ("Dr Marie Lambert", "president", ""), ("M. Paul Girard", "representant_legal", ""),
        ("Dr Henri Blanc", "mediateur_medical", ""), ("Mme Sylvie Noël", "mediateur_non_medical", ""),
        ("Mme Lucie Représentante", "ru_titulaire", "UFC-Que Choisir"), ("M. Karim Haddad", "ru_titulaire", "France Assos Santé"),
        ("Mme Agnès Petit", "ru_suppleant", "Ligue contre le cancer"),
    ]:
        services.membre_enregistrer(par=par, donnees={
            "etablissement": etab, "nom": nom, "role": role, "association": asso, "debut_mandat": debut,
            "fin_mandat": date(debut.year + 3, 8, 31) if role.startswith("ru") else date(aujourdhui.year, 12, 31) + timedelta(days=60)})
    ru = MembreCDU.objects.get(nom="Mme Lucie Représentante")
    seances = []
    for mois in (3, 6):
        s = SeanceCDU.objects.create(etablissement=etab, date=date(aujourdhui.year, mois, 14), statut="tenue" if date(aujourdhui.year, mois, 14) < aujourdhui else "planifiee",
                                     ordre_du_jour="Réclamations du trimestre ; demandes de dossier ; EIGS", created_by=par)
        s.presents.set(MembreCDU.objects.filter(etablissement=etab)[:5])
        seances.append(s)
    service = Service.objects.filter(pole__etablissement=etab).first()
    recue = aujourdhui - timedelta(days=25)
    services.reclamation_enregistrer(par=par, services=[service], donnees={
        "etablissement": etab, "nature": "plainte", "canal": "courrier", "categories": ["soins", "information"],
        "auteur_nom": "Odile Marchand (démo)", "lien_patient": "épouse", "patient_nom": "René Marchand",
        "objet": "Sortie sans ordonnance ni explication.", "recue_le": recue, "accuse_le": recue + timedelta(days=3),
        "mediation": "medicale", "mediateur_saisi_le": aujourdhui - timedelta(days=5), "ru_accompagnant": ru,
        "resume_anonymise": "Sortie sans ordonnance ni information du proche.", "resume_valide": True})
    services.reclamation_enregistrer(par=par, services=[service], donnees={
        "etablissement": etab, "nature": "eloge", "canal": "courriel", "categories": ["relation"],
        "auteur_nom": "Famille Dubois (démo)", "lien_patient": "fille", "objet": "Merci à l'équipe de nuit.",
        "recue_le": aujourdhui - timedelta(days=3)})
    services.demande_enregistrer(par=par, donnees={
        "etablissement": etab, "patient_nom": "Jeanne Roux (démo)", "patient_naissance": date(1950, 1, 1),
        "demandeur_type": "patient", "demandeur_nom": "Jeanne Roux (démo)",
        "recue_le": timezone.now() - timedelta(days=6), "informations_du": aujourdhui - timedelta(days=200),
        "identite_verifiee": True, "qualite_verifiee": True})


# Seed 000, one établissement, one year: 226 medical-record requests, 68 complaints / claims / praise, 4 CDU sessions.
DEMANDES_PAR_AN = 230
RECLAMATIONS_PAR_AN = 70
MOIS_SEANCES = (3, 6, 9, 12)
NOMS = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard"]
PRENOMS = ["Jeanne", "Louis", "Marie", "Pierre", "Camille", "Lucas", "Emma", "Hugo", "Léa", "Paul", "Chloé", "Karim"]
OBJETS = [
    ("soins", "Douleur mal prise en charge pendant la nuit.", "Douleur nocturne insuffisamment traitée."),
    ("relation", "Attitude jugée peu respectueuse d'un soignant.", "Relation avec un soignant jugée irrespectueuse."),
    ("information", "Sortie sans explication sur le traitement.", "Information insuffisante à la sortie."),
    ("organisation", "Attente de six heures aux urgences.", "Attente prolongée aux urgences."),
    ("hotellerie", "Repas froids à plusieurs reprises.", "Qualité des repas."),
    ("facturation", "Facture reçue pour une consultation déjà réglée.", "Erreur de facturation."),
    ("biens", "Lunettes perdues lors d'un transfert.", "Perte d'un objet personnel."),
]
ELOGES = ["Merci à toute l'équipe de nuit pour sa présence.", "Remerciements pour l'accueil de la maternité.",
          "Merci pour la qualité des soins et l'écoute."]


def charger_historique(historique) -> dict[str, int]:
    """Years of CDU sessions, complaints and record requests per établissement, each checked by the same
    rules as the forms (reclamation_valider, demande_valider) and written by COPY; the recent ones still
    open get their deadlines from the same calculation as a record saved by hand."""
    from collections import Counter

    from qualite.organisation.models import Compteur
    from qualite.outils import registres
    from qualite.outils.copie import horodatage_libre, inserer_historise
    from usagers.relations.models import DemandeDossier

    rng = historique.rng("relations")
    maintenant = timezone.now()
    aujourdhui = timezone.localdate()
    par = Utilisateur.objects.get(username="relations")
    seances, reclamations, demandes = [], [], []
    deja = {(e, d.year, d.month) for e, d in SeanceCDU.objects.values_list("etablissement_id", "date")}
    for etab in Etablissement.objects.filter(actif=True).order_by("id"):
        services_etab = list(Service.objects.filter(pole__etablissement=etab).values_list("id", flat=True))
        seances_etab = []
        for annee in historique.liste_annees():
            for mois in MOIS_SEANCES:
                if (etab.pk, annee, mois) in deja:  # the showcase sessions of this year
                    continue
                jour = date(annee, mois, 10 + rng.randint(0, 10))
                tenue = jour < aujourdhui
                seances_etab.append(SeanceCDU(
                    etablissement=etab, date=jour, statut="tenue" if tenue else "planifiee", created_by=par,
                    ordre_du_jour="Réclamations et éloges du trimestre ; demandes de dossier et délais ; EIGS ; "
                                  "suivi des recommandations",
                    compte_rendu="Compte rendu approuvé à la séance suivante." if tenue else ""))
        seances += seances_etab
        for annee in historique.liste_annees():
            for _ in range(historique.nombre(RECLAMATIONS_PAR_AN, annee)):
                reclamations.append((_reclamation(rng, etab, annee, seances_etab, aujourdhui, par), rng.choice(services_etab)))
            for _ in range(historique.nombre(DEMANDES_PAR_AN, annee)):
                demandes.append(_demande(rng, etab, historique.instant(rng, annee), maintenant, par))
    for rec, _ in reclamations:
        reclamation_valider(rec)
    for d in demandes:
        demande_valider(d)
    for prefixe, objets, annee_de in (("REC", [r for r, _ in reclamations], lambda r: r.recue_le.year),
                                      ("DMD", demandes, lambda d: timezone.localtime(d.recue_le).year)):
        objets.sort(key=lambda o: o.recue_le)
        premiers = {a: Compteur.reserver(prefixe, a, nombre=n) for a, n in Counter(map(annee_de, objets)).items()}
        for o in objets:
            o.reference = f"{prefixe}-{annee_de(o)}-{premiers[annee_de(o)]:05d}"
            premiers[annee_de(o)] += 1
    with horodatage_libre(SeanceCDU, Reclamation, DemandeDossier):
        for s in seances:
            s.created_at = s.updated_at = maintenant
        inserer_historise(SeanceCDU, seances)
        for rec, _ in reclamations:
            rec.seance_cdu_id = rec.seance_cdu.pk if rec.seance_cdu else None
        inserer_historise(Reclamation, [r for r, _ in reclamations])
        inserer_historise(DemandeDossier, demandes)
    Reclamation.services.through.objects.bulk_create(
        [Reclamation.services.through(reclamation_id=r.pk, service_id=s) for r, s in reclamations])
    presents = []
    for s in seances:
        if s.statut == "tenue":
            presents += [SeanceCDU.presents.through(seancecdu_id=s.pk, membrecdu_id=m)
                         for m in MembreCDU.objects.filter(etablissement_id=s.etablissement_id).values_list("id", flat=True)[:5]]
    SeanceCDU.presents.through.objects.bulk_create(presents)
    # Deadlines: the open records (recent ones), by the same calculation as a record saved by hand.
    recentes = maintenant - timedelta(days=90)
    for rec, _ in reclamations:
        if rec.recue_le >= recentes.date():
            services._synchroniser_reclamation(rec)
    for d in demandes:
        if d.recue_le >= recentes:
            services._synchroniser_demande(d)
    for modele in (SeanceCDU, Reclamation, DemandeDossier):
        registres.modifie(modele)
    return {"séances de la CDU": len(seances), "plaintes, réclamations, éloges": len(reclamations),
            "demandes de dossier médical": len(demandes)}


def _reclamation(rng, etab, annee, seances, aujourdhui, par) -> Reclamation:
    debut = date(annee, 1, 1)
    fin = min(date(annee, 12, 31), aujourdhui - timedelta(days=1))
    recue = debut + timedelta(days=rng.randint(0, max(0, (fin - debut).days)))
    nature = rng.choices(["plainte", "reclamation", "eloge"], [30, 55, 15])[0]
    auteur = f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}"
    rec = Reclamation(etablissement=etab, nature=nature, canal=rng.choice(["courrier", "courriel", "formulaire", "oral"]),
                      auteur_nom=auteur, lien_patient=rng.choice(["le patient lui-même", "épouse", "fils", "fille", "mère"]),
                      recue_le=recue, created_by=par, modifie_par=par)

    def jalon(apres_jours):
        jour = recue + timedelta(days=apres_jours)
        return jour if jour < aujourdhui else None

    if nature == "eloge":
        rec.categories, rec.objet = ["relation"], rng.choice(ELOGES)
        rec.resume_anonymise, rec.resume_valide = rec.objet, True
        rec.accuse_le = jalon(rng.randint(1, 6))
        if rec.accuse_le:  # thanked, then closed
            rec.reponse_finale_le = jalon((rec.accuse_le - recue).days + rng.randint(0, 10))
    else:
        categorie, objet, resume = rng.choice(OBJETS)
        rec.categories, rec.objet, rec.resume_anonymise, rec.resume_valide = [categorie], objet, resume, True
        rec.accuse_le = jalon(rng.randint(1, 6))
        rec.premiere_reponse_le = jalon(rng.randint(8, 35)) if rec.accuse_le else None
        if rec.premiere_reponse_le and rng.random() < 0.3:
            rec.mediation = "medicale" if categorie in ("soins", "information") else "non_medicale"
            rec.mediateur_saisi_le = rec.premiere_reponse_le
            rec.rencontre_le = jalon((rec.mediateur_saisi_le - recue).days + rng.randint(2, 9))
            if rec.rencontre_le:
                rec.rapport_le = jalon((rec.rencontre_le - recue).days + rng.randint(2, 8))
            if rec.rapport_le:
                suivante = next((s for s in seances if s.date > rec.rapport_le and s.statut == "tenue"), None)
                if suivante is not None:
                    rec.seance_cdu, rec.avis_cdu = suivante, "La CDU prend acte de la médiation et propose la clôture."
                    rec.reponse_finale_le = jalon((suivante.date - recue).days + rng.randint(2, 8))
        elif rec.premiere_reponse_le:  # answered without mediation: the director's answer closes it
            rec.reponse_finale_le = jalon((rec.premiere_reponse_le - recue).days + rng.randint(0, 20))
    dernier = max(d for d in (rec.recue_le, rec.accuse_le, rec.premiere_reponse_le, rec.rapport_le, rec.reponse_finale_le) if d)
    rec.created_at = timezone.make_aware(datetime.combine(recue, time(10)))
    rec.updated_at = timezone.make_aware(datetime.combine(dernier, time(16)))
    return rec


def _demande(rng, etab, recue_le, maintenant, par):
    from usagers.relations.models import DemandeDossier

    patient = f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}"
    type_ = rng.choices(["patient", "ayant_droit", "autorite_parentale", "protecteur_representation", "medecin"],
                        [70, 12, 8, 5, 5])[0]
    decede = type_ == "ayant_droit"
    ancien = rng.random() < 0.15
    d = DemandeDossier(
        etablissement=etab, patient_nom=patient, patient_decede=decede,
        patient_naissance=date(1940, 1, 1) + timedelta(days=rng.randint(0, 75 * 365)),
        demandeur_type=type_, demandeur_nom=patient if type_ == "patient" else f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}",
        motif=rng.choice(["causes_deces", "memoire", "droits"]) if decede else "",
        identite_verifiee=True, qualite_verifiee=True, recue_le=recue_le, point_depart="reception",
        informations_du=timezone.localtime(recue_le).date() - timedelta(days=rng.randint(2000, 4000) if ancien else rng.randint(5, 900)),
        created_by=par, modifie_par=par, created_at=recue_le, updated_at=recue_le)
    # Most are sent within the 8 days (2 months for older information); a few late, the recent ones still open.
    delai = timedelta(days=rng.randint(20, 70) if ancien else rng.choices([rng.randint(2, 8), rng.randint(9, 20)], [90, 10])[0],
                      hours=rng.randint(0, 6))
    if recue_le + delai < maintenant:
        d.communiquee_le = recue_le + delai
        d.mode = rng.choice(["copie_papier", "copie_electronique", "consultation", "medecin"])
        d.updated_at = d.communiquee_le
    return d
