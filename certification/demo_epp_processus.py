"""Demo history of the EPP and of the process map with their pilot pairs, dated period by period as the
services write them (epp_enregistrer, processus_enregistrer: StatutEPP, PilotageProcessus), so that each
year's key figures (seed 000: 11 active EPP, 14 processes, 14 pilot pairs a year) are counted from them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

EPP_PAR_AN = 6  # started each year: with a 9 to 24 months run, about 11 are active in any year
EPP_EN_PROJET = 2  # being prepared now
THEMES_EPP = [
    "Pertinence de la prescription des antibiotiques", "Prévention et prise en charge des escarres",
    "Évaluation et traçabilité de la douleur", "Prévention des chutes", "Dépistage de la dénutrition",
    "Lettre de liaison à la sortie", "Antibioprophylaxie en chirurgie", "Conciliation médicamenteuse à l'admission",
    "Bon usage des anticoagulants oraux", "Pertinence des transfusions de globules rouges",
    "Check-list « sécurité du patient » au bloc", "Prise en charge de l'hémorragie du post-partum",
    "Isolement et contention en psychiatrie", "Pertinence des examens d'imagerie aux urgences",
    "Identification du patient à chaque étape", "Prise en charge de la douleur de l'enfant",
    "Directives anticipées et personne de confiance", "Prévention du risque suicidaire",
]
MEDECINS = ["Dr Arnaud", "Dr Besson", "Dr Chevalier", "Dr Delorme", "Dr Fabre", "Dr Garnier", "Dr Hamon", "Dr Jacob",
            "Dr Lemaire", "Dr Marchal", "Dr Nicolas", "Dr Olivier", "Dr Perrin", "Dr Renaud", "Dr Roussel", "Dr Vidal"]
SOIGNANTS = ["Mme Aubry", "M. Benoit", "Mme Carré", "Mme Dumont", "M. Étienne", "Mme Fleury", "Mme Gautier",
             "M. Huet", "Mme Julien", "Mme Leclerc", "M. Mallet", "Mme Noël", "Mme Paris", "M. Rey", "Mme Sauvage"]
# The map: (process, pôle-specific: only where a pôle's name contains this word, or None: every établissement).
PROCESSUS = [
    ("Management de la qualité et des risques", None), ("Droits des patients", None),
    ("Parcours du patient", None), ("Dossier patient", None), ("Identification du patient", None),
    ("Prise en charge médicamenteuse", None), ("Prise en charge de la douleur", None), ("Fin de vie", None),
    ("Risque infectieux", None), ("Prise en charge des urgences et des soins non programmés", "urgences"),
    ("Bloc opératoire", "chirurgie"), ("Endoscopie", "chirurgie"), ("Santé mentale et soins sans consentement", "psychiatrie"),
    ("Périnatalité", "femme-enfant"), ("Gériatrie et personnes âgées", "gériatrie"),
    ("Ressources humaines et qualité de vie au travail", None), ("Système d'information", None),
]
# Demo accounts that pilot a process of their établissement: (médical, soignant / administratif).
COMPTES_PILOTES = {"Santé mentale et soins sans consentement": ("psychiatre", None),
                   "Management de la qualité et des risques": (None, "qualiticien"),
                   "Droits des patients": (None, "relations"), "Parcours du patient": (None, "cadre")}
PROCESSUS_TARDIFS = 2  # added to the map during the history (a new certification cycle)
PART_RELEVE = 0.35  # processes whose pilot pair changed during the history
PART_VACANCE = 0.4  # of those: a pilot left some months before the successor was named


def _jour(rng, debut: date, fin: date) -> date:
    return debut + timedelta(days=rng.randint(0, max(0, (fin - debut).days)))


def _pilotes(etab, nombre: int, Utilisateur) -> tuple[list, list]:
    """The établissement's pilots: people without a demo login (unusable password), declarants like all staff."""
    from django.contrib.auth.hashers import make_password

    from qualite.organisation.roles import Role

    comptes = []
    for k in range(nombre):
        for prefixe, noms, fonction in (("med", MEDECINS, "Praticien hospitalier"), ("soi", SOIGNANTS, "Cadre de santé")):
            civilite, nom = noms[(k + etab.pk) % len(noms)].split(" ", 1)
            comptes.append(Utilisateur(
                username=f"pilote-{etab.pk}-{prefixe}-{k + 1:02d}", first_name=civilite, last_name=nom,
                fonction=f"{fonction} (pilote de processus)", email=f"pilote-{etab.pk}-{prefixe}-{k + 1:02d}@demo.invalid",
                roles=[Role.DECLARANT.value], password=make_password(None)))
    existants = set(Utilisateur.objects.filter(username__in=[c.username for c in comptes]).values_list("username", flat=True))
    nouveaux = Utilisateur.objects.bulk_create([c for c in comptes if c.username not in existants])
    Utilisateur.etablissements.through.objects.bulk_create(
        [Utilisateur.etablissements.through(utilisateur_id=u.pk, etablissement_id=etab.pk) for u in nouveaux])
    par_nom = {u.username: u for u in Utilisateur.objects.filter(username__in=[c.username for c in comptes])}
    medecins = [par_nom[c.username] for c in comptes if "-med-" in c.username]
    soignants = [par_nom[c.username] for c in comptes if "-soi-" in c.username]
    return medecins, soignants


def _completer(processus, paires, PilotageProcessus) -> None:
    """A process the showcase created with one open period and no pilots: its earlier periods written before
    that one, and the pair it had then kept in the open period."""
    periodes = sorted(processus.periodes.all(), key=lambda pp: pp.du)
    if not periodes or any(pp.pilote_medical_id or pp.pilote_soignant_id for pp in periodes):
        return
    premiere = periodes[0].du
    avant = [x for x in paires if x[0] < premiere]
    PilotageProcessus.objects.bulk_create([
        PilotageProcessus(processus=processus, du=du, au=avant[i + 1][0] if i + 1 < len(avant) else premiere,
                          pilote_medical=med, pilote_soignant=soi, created_by=processus.created_by)
        for i, (du, med, soi) in enumerate(avant)])
    if avant:
        _, med, soi = next((x for x in reversed(avant) if x[1] and x[2]), avant[-1])
        PilotageProcessus.objects.filter(processus=processus, au__isnull=True).update(pilote_medical=med, pilote_soignant=soi)
        type(processus).objects.filter(pk=processus.pk).update(pilote_medical=med, pilote_soignant=soi)


def charger_historique(historique) -> dict[str, int]:
    from certification.models import EPP, PilotageProcessus, Processus, StatutEPP
    from qualite.organisation.models import Etablissement, Pole, Utilisateur
    from qualite.outils import registres
    from qualite.outils.copie import horodatage_libre, inserer

    rng = historique.rng("epp-processus")
    aujourdhui = timezone.localdate()
    annees = historique.liste_annees()
    debut_histoire = date(annees[0], 1, 1)
    par = Utilisateur.objects.filter(username="qualiticien").first()
    E = EPP.Etat

    def instant(j: date):
        return timezone.make_aware(datetime.combine(j, time(11)))

    def trace(objet, j: date):
        objet.created_by, objet.created_at, objet.updated_at = par, instant(j), instant(j)
        return objet

    epps, statuts, processus, periodes = [], [], [], []
    comptes: dict[int, dict] = {}
    for u in Utilisateur.objects.filter(username__in={x for paire in COMPTES_PILOTES.values() for x in paire if x}) \
            .prefetch_related("etablissements"):
        for e in u.etablissements.all():
            comptes.setdefault(e.pk, {})[u.username] = u
    for etab in Etablissement.objects.filter(actif=True).order_by("id"):
        poles = list(Pole.objects.filter(etablissement=etab, actif=True).order_by("id"))
        # --- EPP: started each year from the one before the history (so its first year has running ones)
        themes = rng.sample(THEMES_EPP, len(THEMES_EPP))
        lancements = [_jour(rng, date(a, 1, 1), min(date(a, 12, 31), aujourdhui))
                      for a in [annees[0] - 1, *annees] for _ in range(historique.nombre(EPP_PAR_AN, a))]
        lancements += [aujourdhui + timedelta(days=rng.randint(20, 90))
                       for _ in range(historique.nombre(EPP_EN_PROJET, aujourdhui.year))]
        for n, debut in enumerate(sorted(lancements)):
            prepare = debut - timedelta(days=rng.randint(30, 90))
            epp = trace(EPP(theme=themes[n % len(themes)], etablissement=etab,
                            pole=rng.choice(poles) if poles and rng.random() < 0.8 else None,
                            pilotes=f"{rng.choice(MEDECINS)}\n{rng.choice(SOIGNANTS)}", date_debut=debut), prepare)
            if debut > aujourdhui:  # announced, not started
                epp.etat = E.EN_PROJET
                etapes = [(prepare, E.EN_PROJET)]
            elif rng.random() < 0.08:  # dropped along the way
                arret = debut + timedelta(days=rng.randint(60, 300))
                epp.etat = E.ABANDONNEE if arret <= aujourdhui else E.EN_COURS
                etapes = [(prepare, E.EN_PROJET), (debut, E.EN_COURS)] + ([(arret, E.ABANDONNEE)] if arret <= aujourdhui else [])
            else:
                fin = debut + timedelta(days=rng.randint(270, 730))
                termine = fin <= aujourdhui
                epp.etat, epp.date_fin = (E.TERMINEE, fin) if termine else (E.EN_COURS, None)
                etapes = [(prepare, E.EN_PROJET), (debut, E.EN_COURS)] + ([(fin, E.TERMINEE)] if termine else [])
            epp.updated_at = instant(etapes[-1][0])
            epps.append(epp)
            for k, (du, etat) in enumerate(etapes):
                au = etapes[k + 1][0] if k + 1 < len(etapes) else None
                statuts.append(trace(StatutEPP(epp=epp, etat=etat, du=du, au=au), du))
        # --- Processes and their pilot pairs, period by period
        noms_poles = " ".join(p.nom.lower() for p in poles)
        carte = [nom for nom, condition in PROCESSUS if condition is None or condition in noms_poles]
        medecins, soignants = _pilotes(etab, len(carte) + 6, Utilisateur)
        # Processes the showcase already created (the risk map links to them) get their past, not a twin.
        deja = {p.nom: p for p in Processus.objects.filter(etablissement=etab).prefetch_related("periodes")}
        tardifs = set(rng.sample([nom for nom in carte if nom not in deja], min(PROCESSUS_TARDIFS, len(carte))))
        retire = rng.choice([nom for nom in carte if nom not in tardifs and nom not in deja])
        for k, nom in enumerate(carte):
            cree = (_jour(rng, date(annees[min(1, len(annees) - 1)], 1, 1), date(annees[min(2, len(annees) - 1)], 12, 31)) if nom in tardifs
                    else _jour(rng, debut_histoire - timedelta(days=900), debut_histoire - timedelta(days=30)))
            med, soi = medecins[k], soignants[k]
            for i, login in enumerate(COMPTES_PILOTES.get(nom, ())):
                if login in comptes.get(etab.pk, {}):
                    med, soi = (comptes[etab.pk][login], soi) if i == 0 else (med, comptes[etab.pk][login])
            p = deja.get(nom) or trace(Processus(nom=nom, etablissement=etab), cree)
            paires = [(cree, med, soi)]
            if rng.random() < PART_RELEVE:
                releve = _jour(rng, max(cree, debut_histoire) + timedelta(days=120), aujourdhui - timedelta(days=30))
                change_med = rng.random() < 0.5
                nouveau = (medecins if change_med else soignants)[len(carte) + k % 6]
                if rng.random() < PART_VACANCE:  # the leaving pilot's chair stays empty a while
                    vacance = releve - timedelta(days=rng.randint(45, 150))
                    if vacance > cree:
                        paires.append((vacance, None, soi) if change_med else (vacance, med, None))
                paires.append((releve, nouveau, soi) if change_med else (releve, med, nouveau))
            fin = None
            if nom == retire:  # merged into another process at the last map review
                fin = _jour(rng, date(annees[-2], 1, 1), date(annees[-2], 12, 31))
                paires = [x for x in paires if x[0] < fin]
            if p.pk is not None:
                _completer(p, paires, PilotageProcessus)
                continue
            p.pilote_medical, p.pilote_soignant = paires[-1][1], paires[-1][2]
            p.actif = fin is None
            p.updated_at = instant(fin or paires[-1][0])
            processus.append(p)
            for i, (du, med, soi) in enumerate(paires):
                au = paires[i + 1][0] if i + 1 < len(paires) else fin
                periodes.append(trace(PilotageProcessus(processus=p, du=du, au=au, pilote_medical=med,
                                                        pilote_soignant=soi), du))
    with horodatage_libre(EPP, StatutEPP, Processus, PilotageProcessus):
        inserer(EPP, epps)
        for s in statuts:
            s.epp_id = s.epp.pk
        inserer(StatutEPP, statuts)
        inserer(Processus, processus)
        for pp in periodes:
            pp.processus_id = pp.processus.pk
        inserer(PilotageProcessus, periodes)
    for modele in (EPP, StatutEPP, Processus, PilotageProcessus):
        registres.modifie(modele)
    return {"EPP": len(epps), "dont en cours": sum(1 for e in epps if e.etat == E.EN_COURS),
            "processus": len(processus), "périodes de pilotage": len(periodes)}
