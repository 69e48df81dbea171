"""Deadline rules of user relations, default letter templates, and the national patient-safety dialogue kit, as data.
Synchronised after every `migrate` (qualite/echeances/referentiels.py); letters already edited are kept."""

import json
from datetime import timedelta
from pathlib import Path

from qualite.echeances.delais import Decompte
from qualite.echeances.referentiels import regle_declarer, regles_ecrire

REL = ["relations_usagers"]
MODULE = "Relations avec les usagers"
KIT = Path(__file__).resolve().parent / "donnees" / "kit_dialogue.json"

REGLES = [
    ("rec-accuse", "Réclamation : accusé de réception (objectif interne)", "Objectif de l'établissement", False,
     timedelta(days=8), None, "Date d'envoi de l'accusé de réception", REL),
    ("rec-premiere-reponse", "Réclamation : première réponse « dans les meilleurs délais » (objectif interne)", "CSP R1112-92", False,
     timedelta(days=30), None, "Date de la première réponse", REL),
    ("rec-rencontre-mediateur", "Rencontre avec le médiateur dans les 8 jours de sa saisine", "CSP R1112-93", False,
     timedelta(days=8), None, "Date de la rencontre (sauf refus du plaignant)", REL + ["mediateur"]),
    ("rec-rapport-mediateur", "Compte rendu du médiateur au président de la CDU dans les 8 jours", "CSP R1112-94", False,
     timedelta(days=8), None, "Date du rapport du médiateur", REL + ["mediateur"]),
    ("rec-reponse-finale", "Réponse au plaignant dans les 8 jours suivant la séance de la CDU", "CSP R1112-94", False,
     timedelta(days=8), None, "Date de la réponse finale", REL),
    ("dossier-communication-8j", "Dossier médical : communication au plus tard 8 jours (pas avant 48 h)", "CSP L1111-7", False,
     timedelta(days=8), None, "Date de communication ; point de départ réception ou complétude (pratique à vérifier)", REL),
    ("dossier-communication-2m", "Dossier médical : communication sous 2 mois (informations de plus de 5 ans)", "CSP L1111-7", False,
     None, 2, "Date de communication ; point de départ réception ou complétude (pratique à vérifier)", REL),
    # The national kit (« Favoriser le dialogue entre représentants des usagers et professionnels de santé à propos de
    # la sécurité des patients ») sets no delay for the synthesis nor the closing meeting: internal targets, counted from
    # the campaign's end (else its last interview), to confirm with the directorate.
    ("dialogue-synthese", "Dialogue sécurité patients : synthèse de la campagne (objectif interne, 1 mois)",
     "Kit national « Dialogue sécurité patients » (aucun délai fixé : objectif de l'établissement)", True,
     None, 1, "Synthèse rédigée ; départ : fin de la campagne, sinon dernier entretien", REL + ["representant_usagers"]),
    ("dialogue-cloture", "Dialogue sécurité patients : réunion de clôture avec le directeur (objectif interne, 2 mois)",
     "Kit national « Dialogue sécurité patients » (aucun délai fixé : objectif de l'établissement)", True,
     None, 2, "Date de la réunion de clôture ; départ : fin de la campagne, sinon dernier entretien",
     REL + ["representant_usagers"]),
    ("cdu-mandat", "CDU : préparer le renouvellement d'un mandat (3 mois avant son terme)", "CSP R1112-83", False,
     None, -3, "Remplacement du membre ou nouveau mandat enregistré", REL),
]

# The defaults before the salutation was computed: a common template still equal to one of them was never
# edited, and takes the new default.
ANCIENNES_LETTRES = [
    ("accuse", "Votre réclamation — accusé de réception",
     "Madame, Monsieur {{ auteur }},\n\nNous avons bien reçu le {{ recue_le }} votre courrier, enregistré sous la référence "
     "{{ reference }}. Il fait l'objet d'une instruction auprès des services concernés et une réponse vous sera apportée "
     "dans les meilleurs délais.\n\nConformément aux articles R1112-91 à R1112-94 du code de la santé publique, vous pouvez, "
     "si vous le souhaitez, rencontrer un médiateur de l'établissement ; vous pouvez vous faire accompagner d'un "
     "représentant des usagers membre de la commission des usagers.\n\nVeuillez agréer, Madame, Monsieur, l'expression de "
     "nos salutations distinguées.\n\nLa direction — {{ etablissement }}"),
    ("invitation_mediation", "Invitation à rencontrer le médiateur",
     "Madame, Monsieur {{ auteur }},\n\nÀ la suite de votre réclamation {{ reference }}, le {{ mediateur }} vous propose "
     "une rencontre le {{ rencontre_le }}. Vous pouvez vous faire accompagner d'un représentant des usagers.\n\nMerci de "
     "nous indiquer si cette date vous convient.\n\nLa direction — {{ etablissement }}"),
    ("reponse", "Réponse à votre réclamation",
     "Madame, Monsieur {{ auteur }},\n\nLa commission des usagers a examiné votre réclamation {{ reference }} lors de sa "
     "séance du {{ seance_cdu }}. Elle a formulé l'avis suivant :\n\n{{ avis_cdu }}\n\nNous restons à votre disposition."
     "\n\nLa direction — {{ etablissement }}"),
]

LETTRES = [
    ("accuse", "Votre réclamation — accusé de réception",
     "{{ formule_appel }}\n\nNous avons bien reçu le {{ recue_le }} votre courrier, enregistré sous la référence "
     "{{ reference }}. Il fait l'objet d'une instruction auprès des services concernés et une réponse vous sera apportée "
     "dans les meilleurs délais.\n\nConformément aux articles R1112-91 à R1112-94 du code de la santé publique, vous pouvez "
     "demander à rencontrer un médiateur de l'établissement, et vous faire accompagner lors de cette rencontre par un "
     "représentant des usagers membre de la commission des usagers.\n\nNous vous prions d'agréer, {{ formule_appel }} "
     "l'expression de nos salutations distinguées."),
    ("invitation_mediation", "Invitation à rencontrer le médiateur",
     "{{ formule_appel }}\n\nÀ la suite de votre réclamation {{ reference }}, le {{ mediateur }} vous propose une "
     "rencontre le {{ rencontre_le }}. Vous pouvez vous faire accompagner d'un représentant des usagers.\n\nMerci de "
     "nous indiquer si cette date vous convient.\n\nNous vous prions d'agréer, {{ formule_appel }} l'expression de nos "
     "salutations distinguées."),
    ("reponse", "Réponse à votre réclamation",
     "{{ formule_appel }}\n\nLa commission des usagers a examiné votre réclamation {{ reference }} lors de sa "
     "séance du {{ seance_cdu }}. Elle a formulé l'avis suivant :\n\n{{ avis_cdu }}\n\nNous restons à votre "
     "disposition.\n\nNous vous prions d'agréer, {{ formule_appel }} l'expression de nos salutations distinguées."),
]


for code, libelle, base, a_verifier, delai, mois, satisfaite_par, roles in REGLES:
    regle_declarer(code, module=MODULE, libelle=libelle, base_legale=base, a_verifier=a_verifier, delai=delai,
                   delai_mois=mois, decompte=Decompte.MOIS if mois else Decompte.JOURS, satisfaite_par=satisfaite_par,
                   roles=roles, alerte_avant=timedelta(days=2))


def synchroniser() -> None:
    from usagers.relations.models import ModeleLettre, QuestionDialogue, ThemeDialogue

    regles_ecrire(MODULE)
    anciens = {corps for _, _, corps in ANCIENNES_LETTRES}
    for type_, objet, corps in LETTRES:
        modele, cree = ModeleLettre.objects.get_or_create(type=type_, etablissement=None,
                                                          defaults={"objet": objet, "corps": corps})
        if not cree and modele.corps in anciens:
            ModeleLettre.objects.filter(pk=modele.pk).update(corps=corps, revision=modele.revision + 1)
    kit = json.loads(KIT.read_text(encoding="utf-8"))
    for t in kit["themes"]:
        theme, _ = ThemeDialogue.objects.update_or_create(numero=t["numero"], defaults={"titre": t["titre"]})
        for q in t["questions"]:
            QuestionDialogue.objects.update_or_create(numero=q["numero"], defaults={
                "theme": theme, "texte": q["texte"], "relances": q.get("relances", [])})
