"""Demo adverse events: a few in each state, one EIGS, so every page has something to show."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from evenements import services
from evenements.models import STATUTS_CLOS, EvenementIndesirable, Statut, TypeEvenement
from qualite.organisation.models import Service, Utilisateur

SCENARIOS = [
    ("Chute", "Chute d'un patient en se levant la nuit, sans appel malade à portée.", 2, None),
    ("Médicament", "Dose d'anticoagulant doublée à la suite d'une retranscription.", 3, Statut.PRIS_EN_CHARGE),
    ("Identitovigilance", "Bracelet d'identification absent à l'arrivée au bloc.", 2, Statut.CLOTURE),
    ("Organisation, parcours", "Retard de transfert faute de brancardier disponible.", 1, Statut.CLASSE_SANS_SUITE),
    ("Soins", "Arrêt cardiaque inattendu au décours d'une sédation en endoscopie.", 5, Statut.EN_ANALYSE),
]


def charger_demo():
    if EvenementIndesirable.objects.filter(description=SCENARIOS[0][1]).exists():
        return
    declarant = Utilisateur.objects.get(username="declarant")
    gestionnaire = Utilisateur.objects.get(username="qualiticien")
    service = declarant.service or Service.objects.first()
    for i, (type_, description, gravite, etat) in enumerate(SCENARIOS):
        ev = services.evenement_declarer(declarant=declarant, service=service, donnees={
            # an EIGS occurs before its part 1 is sent to the ARS (75 days ago, below)
            "survenu_le": timezone.now() - timedelta(days=77 if gravite == 5 and etat else 40 - 8 * i), "type": TypeEvenement.objects.get(libelle=type_),
            "description": description, "personnes": ["patient"], "gravite_estimee": gravite,
        })
        if etat is None:
            continue
        chemin = {
            Statut.PRIS_EN_CHARGE: [Statut.PRIS_EN_CHARGE],
            Statut.CLOTURE: [Statut.PRIS_EN_CHARGE, Statut.CLOTURE],
            Statut.CLASSE_SANS_SUITE: [Statut.CLASSE_SANS_SUITE],
            Statut.EN_ANALYSE: [Statut.PRIS_EN_CHARGE, Statut.EN_ANALYSE],
        }[etat]
        if gravite == 5:
            services.evenement_qualifier(evenement=ev, par=gestionnaire, donnees={
                "gravite": 5, "vraisemblance": 2, "inattendu": True, "mise_en_jeu_pronostic_vital": True,
                "est_eigs": True, "resume_anonymise": "Arrêt cardiaque inattendu pendant une sédation ; patient réanimé."})
            declaration = ev.declaration_ars
            services.declaration_ars_enregistrer(declaration=declaration, par=gestionnaire, donnees={
                "partie1_envoyee_le": timezone.now() - timedelta(days=75)})
        else:
            services.evenement_qualifier(evenement=ev, par=gestionnaire, donnees={"gravite": gravite, "vraisemblance": 3})
        if etat == Statut.CLOTURE:
            services.evenement_faire_retour(evenement=ev, par=gestionnaire,
                                      texte="Merci : la vérification du bracelet est ajoutée à la check-list d'entrée au bloc.")
        ev.refresh_from_db()
        for vers in chemin:
            if vers == ev.statut:  # the qualification has already taken the event over
                continue
            ev = services.evenement_changer_statut(evenement=ev, par=gestionnaire, vers=vers,
                                                   motif="Relève de la logistique, transmis au service concerné.")


# Seed 000, one établissement, one year: 1 551 events declared, 7 EIGS to the ARS, 23 in-depth analyses.
EVENEMENTS_PAR_AN = 1550
ANALYSES_PAR_AN = 23
# The statuses an event went through to reach its own (the allowed transitions, in order).
CHEMINS = {
    Statut.DECLARE: [],
    Statut.PRIS_EN_CHARGE: [Statut.PRIS_EN_CHARGE],
    Statut.EN_ANALYSE: [Statut.PRIS_EN_CHARGE, Statut.EN_ANALYSE],
    Statut.ACTIONS_EN_COURS: [Statut.PRIS_EN_CHARGE, Statut.EN_ANALYSE, Statut.ACTIONS_EN_COURS],
    Statut.CLOTURE: [Statut.PRIS_EN_CHARGE, Statut.CLOTURE],
    Statut.CLASSE_SANS_SUITE: [Statut.CLASSE_SANS_SUITE],
}


# The generator draws states for benchmarks; the demo's past must look like a team that does its job:
# how long an event may stay in each open state (days since its declaration), and the small share left behind.
QUALIFICATION_JOURS = 7  # the establishment's target (rule ei-qualification)
EN_RETARD_QUALIFICATION = 0.04  # declared 7 to 30 days ago and still not qualified
PRISE_EN_CHARGE_JOURS = 45
ANALYSE_A_DECIDER_JOURS = 21  # taken over at gravity 3 or more: the analysis is decided within three weeks
ANALYSE_JOURS = 60  # an in-depth analysis takes about two months
EN_ANALYSE = 0.5  # of the grave events drawn "en analyse" within that time, still in analysis (the others act)
# Share of closed events still without a word to the declarant, by days since closing; none after a year.
RETOUR_OUBLIE = {2: 0.5, 14: 0.15, 365: 0.005}


def _travail_fait(rng, ev, maintenant, gestionnaires) -> None:
    """Moves a generated event on as the risk managers would have: qualified within the week, analysed when
    grave, closed, the declarant answered; only recent events stay open, and a few late ones. Every change
    follows the allowed transitions (CHEMINS) and keeps the dates in order."""
    from evenements.management.commands.generer_evenements import RETOURS, VRAISEMBLANCES

    jours = (maintenant - ev.created_at).days
    grave = (ev.gravite or ev.gravite_estimee) >= 3 or bool(ev.est_eigs)
    if ev.statut == Statut.DECLARE and ev.qualifie_le is not None:
        ev.statut = Statut.PRIS_EN_CHARGE  # qualifying takes a declared event over
    if ev.statut == Statut.DECLARE and jours > QUALIFICATION_JOURS and not (
            jours <= 30 and rng.random() < EN_RETARD_QUALIFICATION):
        ev.qualifie_le = ev.created_at + timedelta(hours=rng.randint(2, QUALIFICATION_JOURS * 24))
        ev.qualifie_par_id = rng.choice(gestionnaires.get(ev.etablissement_id) or [None])
        ev.vraisemblance = rng.choices(*VRAISEMBLANCES)[0]
        ev.gravite = min(5, max(1, ev.gravite_estimee + rng.choice((-1, 0, 0, 0, 1))))
        ev.inattendu, ev.est_eigs = rng.random() < 0.3, False
        ev.statut = Statut.CLASSE_SANS_SUITE if rng.random() < 0.05 else Statut.CLOTURE
        if ev.statut == Statut.CLASSE_SANS_SUITE:
            from evenements.management.commands.generer_evenements import MOTIFS_CLASSEMENT

            ev.motif_classement = rng.choice(MOTIFS_CLASSEMENT)
    elif ev.statut == Statut.PRIS_EN_CHARGE and (jours > PRISE_EN_CHARGE_JOURS or grave and jours > ANALYSE_A_DECIDER_JOURS):
        ev.statut = Statut.CLOTURE
    elif ev.statut == Statut.EN_ANALYSE and (jours > ANALYSE_JOURS or not grave or rng.random() >= EN_ANALYSE):
        ev.statut = Statut.ACTIONS_EN_COURS if jours < 365 and rng.random() < 0.3 else Statut.CLOTURE
    debut = ev.qualifie_le or ev.created_at
    if ev.statut in STATUTS_CLOS and ev.cloture_le is None:
        ev.cloture_le = min(debut + timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 23)), maintenant)
    if ev.cloture_le is not None and ev.cloture_le >= maintenant:  # cut at now by the generator: closed some day since
        ev.cloture_le = debut + (maintenant - debut) * rng.uniform(0.2, 0.95)
        if ev.retour_le is not None:  # the feedback written when closing, as the generator had it
            ev.retour_le = min(ev.cloture_le + timedelta(hours=rng.randint(1, 72)), maintenant)
    if ev.statut == Statut.CLOTURE and ev.retour_le is None:
        depuis = (maintenant - ev.cloture_le).days
        oubli = next((p for borne, p in RETOUR_OUBLIE.items() if depuis < borne), 0.0)
        if rng.random() >= oubli:
            ev.retour_declarant = rng.choice(RETOURS)
            ev.retour_le = min(ev.cloture_le + timedelta(hours=rng.randint(1, 72)), maintenant)
    ev.updated_at = max(d for d in (ev.created_at, ev.qualifie_le, ev.cloture_le, ev.retour_le) if d)


def charger_historique(historique) -> dict[str, int]:
    """Years of events per établissement, drawn like `generer_evenements` (same mix of types, gravities,
    statuses), written by COPY with their steps, EIGS declarations and in-depth analyses."""
    from collections import Counter

    from evenements.management.commands.generer_evenements import Command, reserver_numeros
    from evenements.models import AnalyseApprofondie, DeclarationARS, TransitionEvenement
    from qualite.outils import registres
    from qualite.outils.copie import copier, horodatage_libre, inserer_historise

    rng = historique.rng("evenements")
    tous_services, type_ids, type_poids, declarants, gestionnaires = Command._organisation(None)
    maintenant = timezone.now()
    par_defaut = Utilisateur.objects.filter(username="qualiticien").values_list("id", flat=True).first()
    dates = []
    for etab_id in sorted({s[2] for s in tous_services}):
        services_etab = [s for s in tous_services if s[2] == etab_id]
        for annee in historique.liste_annees():
            dates += [(historique.instant(rng, annee), services_etab) for _ in range(historique.nombre(EVENEMENTS_PAR_AN, annee))]
    dates.sort(key=lambda d: d[0])
    prochains = reserver_numeros(Counter(timezone.localtime(d).year for d, _ in dates))
    evenements = []
    for survenu_le, services_etab in dates:
        annee = timezone.localtime(survenu_le).year
        ev = Command._evenement(rng, survenu_le, f"EI-{annee}-{prochains[annee]:05d}", maintenant, services_etab,
                                type_ids, type_poids, declarants, gestionnaires)
        _travail_fait(rng, ev, maintenant, gestionnaires)
        prochains[annee] += 1
        evenements.append(ev)
    with horodatage_libre(EvenementIndesirable, DeclarationARS, AnalyseApprofondie):
        inserer_historise(EvenementIndesirable, evenements)
        transitions = []
        for ev in evenements:
            par = ev.qualifie_par_id or par_defaut
            transitions.append({"evenement_id": ev.pk, "de": "", "vers": Statut.DECLARE, "par_id": ev.created_by_id or par,
                                "le": ev.created_at})
            chemin, de = CHEMINS[ev.statut], Statut.DECLARE
            debut = ev.qualifie_le or ev.created_at
            fin = ev.cloture_le or min(debut + timedelta(days=30), maintenant)
            for k, vers in enumerate(chemin):
                le = debut + (fin - debut) * (k / max(1, len(chemin) - 1)) if len(chemin) > 1 else (ev.cloture_le or debut)
                transitions.append({"evenement_id": ev.pk, "de": de, "vers": vers, "par_id": par, "le": le})
                de = vers
        copier(TransitionEvenement, transitions)
        declarations = []
        for ev in evenements:
            if not ev.est_eigs:
                continue
            envoi1 = ev.qualifie_le + timedelta(hours=rng.randint(2, 48))
            envoi2 = envoi1 + timedelta(days=rng.randint(45, 88))
            declarations.append(DeclarationARS(
                evenement_id=ev.pk, nature=ev.resume_anonymise or ev.description, circonstances=ev.description,
                premieres_mesures=ev.mesures_immediates, information_patient="Patient et proches informés par le médecin.",
                partie1_envoyee_le=min(envoi1, maintenant),
                partie2_envoyee_le=envoi2 if envoi2 < maintenant else None,
                prise_en_charge="Prise en charge décrite dans le dossier." if envoi2 < maintenant else "",
                created_by_id=ev.qualifie_par_id or par_defaut, created_at=ev.qualifie_le, updated_at=ev.qualifie_le))
        inserer_historise(DeclarationARS, declarations)
        candidats = [ev for ev in evenements if ev.gravite and ev.gravite >= 3
                     and ev.statut in (Statut.EN_ANALYSE, Statut.ACTIONS_EN_COURS, Statut.CLOTURE)]
        analyses = []
        cible = sum(historique.nombre(ANALYSES_PAR_AN, a) for a in historique.liste_annees()) * len({s[2] for s in tous_services})
        for ev in rng.sample(candidats, min(cible, len(candidats))):
            jour = timezone.localtime(ev.qualifie_le or ev.created_at).date() + timedelta(days=rng.randint(7, 30))
            analyses.append(AnalyseApprofondie(
                evenement_id=ev.pk, methode=rng.choice(["alarm", "alarm", "orion"]), date=min(jour, timezone.localdate()),
                participants="Cadre de santé\nMédecin du service\nGestionnaire des risques",
                causes_profondes="Défaut de communication lors de la transmission entre équipes.",
                conclusions="Check-list de transmission et rappel de la procédure.",
                terminee=ev.statut != Statut.EN_ANALYSE, created_by_id=ev.qualifie_par_id or par_defaut,
                created_at=ev.qualifie_le or ev.created_at, updated_at=ev.qualifie_le or ev.created_at))
        inserer_historise(AnalyseApprofondie, analyses)
    actions = _actions_des_analyses(rng, analyses, evenements, par_defaut, maintenant)
    for modele in (EvenementIndesirable, TransitionEvenement, DeclarationARS, AnalyseApprofondie):
        registres.modifie(modele)
    return {"évènements indésirables": len(evenements), "déclarations EIGS à l'ARS": len(declarations),
            "analyses approfondies": len(analyses), "actions PAQSS issues des analyses": len(actions)}


ACTIONS = ["Mettre à jour la procédure et la diffuser aux équipes", "Former les équipes de nuit",
           "Ajouter une vérification à la check-list", "Remplacer le matériel en cause",
           "Réaliser un audit de suivi à trois mois", "Revoir l'organisation des transmissions"]


def _actions_des_analyses(rng, analyses, evenements, par_defaut, maintenant) -> list:
    """One or two PAQSS actions per analysis: old ones done (a few dropped), recent ones under way; the
    open ones get their deadline by the PAQSS rule, like an action saved by hand."""
    from django.contrib.contenttypes.models import ContentType

    from evenements.models import AnalyseApprofondie
    from qualite.outils import registres
    from qualite.outils.copie import horodatage_libre, inserer_historise
    from qualite.paqss.models import ActionAmelioration
    from qualite.paqss.services import _synchroniser_echeance

    S = ActionAmelioration.Statut
    type_analyse = ContentType.objects.get_for_model(AnalyseApprofondie)
    par_id = {ev.pk: ev for ev in evenements}
    # An action in a pôle is usually carried by its cadre (the médico-soignant pair runs the pôle's plan).
    cadres = dict(Utilisateur.objects.filter(roles__contains=["cadre_pole"], pole__isnull=False, is_active=True)
                  .order_by("-id").values_list("pole_id", "id"))  # the pôle's first cadre (the demo account)
    # The rows the actions are attached to, read once: clean() checks the attachment (pôle in the établissement,
    # service in the pôle) on the instances, without a query per action.
    from qualite.organisation.models import Pole

    poles = Pole.objects.in_bulk({par_id[a.evenement_id].pole_id for a in analyses})
    unites = Service.objects.select_related("pole").in_bulk({par_id[a.evenement_id].service_id for a in analyses})
    aujourdhui = timezone.localdate()
    actions = []
    for analyse in analyses:
        ev = par_id[analyse.evenement_id]
        for _ in range(rng.choice((1, 1, 2))):
            echeance = analyse.date + timedelta(days=rng.randint(30, 180))
            if echeance < aujourdhui - timedelta(days=30):
                statut = rng.choices([S.REALISEE, S.ABANDONNEE, S.EN_COURS], [88, 5, 7])[0]
            else:
                statut = rng.choice([S.A_PLANIFIER, S.EN_COURS, S.EN_COURS, S.REALISEE])
            realisee = None
            if statut == S.REALISEE:
                jour = min(echeance + timedelta(days=rng.randint(-40, 20)), aujourdhui)
                realisee = min(timezone.make_aware(datetime.combine(max(jour, analyse.date), time(10))), maintenant)
            cree = analyse.created_at
            actions.append(ActionAmelioration(
                titre=rng.choice(ACTIONS), description=f"Suite à l'analyse de l'évènement {ev.reference}.",
                origine=ActionAmelioration.Origine.ANALYSE, source_type=type_analyse, source_id=analyse.pk,
                etablissement_id=ev.etablissement_id, pole=poles[ev.pole_id], service=unites[ev.service_id],
                responsable_id=(cadres[ev.pole_id] if ev.pole_id in cadres and rng.random() < 0.6
                                else ev.qualifie_par_id or par_defaut), echeance=echeance,
                statut=statut, avancement=100 if statut == S.REALISEE else (rng.choice((10, 30, 50, 70)) if statut == S.EN_COURS else 0),
                motif_abandon="Remplacée par une action institutionnelle." if statut == S.ABANDONNEE else "",
                priorite=rng.choice(["haute", "moyenne", "moyenne", "basse"]), realisee_le=realisee,
                preuves="Compte rendu de la réunion de service." if statut == S.REALISEE else "",
                created_by_id=par_defaut, created_at=cree, updated_at=realisee or cree))
    for a in actions:
        a.full_clean(exclude=["source_type", "etablissement", "pole", "service", "responsable", "created_by"],
                     validate_unique=False, validate_constraints=False)
    with horodatage_libre(ActionAmelioration):
        inserer_historise(ActionAmelioration, actions)
    for a in actions:
        if a.statut in ActionAmelioration.STATUTS_OUVERTS:
            _synchroniser_echeance(a)
    registres.modifie(ActionAmelioration)
    return actions
