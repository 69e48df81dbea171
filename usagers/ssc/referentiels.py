"""The involuntary-care deadline rules, as data (docs/soins-sans-consentement.md). `a_verifier` marks what docs/soins-sans-consentement.md flags
unconfirmed. Synchronised into the rule table after every `migrate` (qualite/echeances/referentiels.py)."""

from datetime import timedelta

from qualite.echeances.referentiels import regle_synchroniser

ADM = ["bureau_admissions"]
ADM_PSY = ["bureau_admissions", "psychiatre"]
MODULE = "Soins sans consentement"

REGLES_MESURES = [
    ("ssc-certificat-24h", "Certificat de 24 heures", "CSP L3211-2-2", False, timedelta(hours=24), None,
     "Certificat d'un psychiatre de l'établissement n'ayant pas rédigé de certificat d'admission", ADM_PSY),
    ("ssc-certificat-72h", "Certificat de 72 heures (propose la forme de prise en charge)", "CSP L3211-2-2", False,
     timedelta(hours=72), None, "Certificat d'un psychiatre de l'établissement ; en urgence / péril imminent, distinct de celui de 24 h", ADM_PSY),
    ("ssc-certificat-mensuel-sdt", "Certificat mensuel de maintien (3 derniers jours de la période)", "CSP L3212-7", False,
     None, 1, "Certificat mensuel daté dans les 3 derniers jours de la période", ADM_PSY),
    ("ssc-decision-forme-prefet", "Décision du préfet sur la forme de prise en charge (3 jours francs)", "CSP L3213-1", True,
     None, None, "Décision sur la forme, après réception du certificat de 72 h", ADM),
    ("ssc-certificat-mensuel-sdre", "Certificat mensuel (SDRE)", "CSP L3213-3", False, None, 1,
     "Certificat mensuel d'un psychiatre", ADM_PSY),
    ("ssc-arrete-maintien-prefet", "Arrêté préfectoral de maintien (1 mois, puis 3 mois, puis 6 mois)", "CSP L3213-4", False,
     None, None, "Arrêté de maintien avant la fin de la période en cours ; à défaut la mesure est levée", ADM),
    ("ssc-arrete-apres-maire", "Arrêté préfectoral après mesure provisoire du maire (48 h)", "CSP L3213-2", False,
     timedelta(hours=48), None, "Arrêté préfectoral ; à défaut la mesure provisoire est caduque", ADM),
    ("ssc-saisine-juge", "Saisine du juge (8 jours)", "CSP L3211-12-1", False, timedelta(days=8), None,
     "Saisine du magistrat du siège du tribunal judiciaire", ADM),
    ("ssc-decision-juge", "Décision du juge avant le 12e jour", "CSP L3211-12-1", False, timedelta(days=12), None,
     "Décision du juge ; à défaut, mainlevée", ADM),
    ("ssc-saisine-juge-6-mois", "Saisine du juge 15 jours avant l'échéance de 6 mois", "CSP L3211-12-1", True, None, 6,
     "Saisine du juge", ADM),
    ("ssc-decision-juge-6-mois", "Décision du juge dans les 6 mois de la précédente", "CSP L3211-12-1", True, None, 6,
     "Décision du juge ; à défaut, mainlevée", ADM),
    ("ssc-avis-college", "Avis du collège (soins de plus d'un an)", "CSP L3212-7, L3211-9", False, None, 12,
     "Avis du collège de professionnels", ADM_PSY),
]

REGLES_ISOLEMENT = [
    ("ssc-isolement-renouvellement", "Isolement : fin ou renouvellement de la décision (12 h)", timedelta(hours=12)),
    ("ssc-contention-renouvellement", "Contention : fin ou renouvellement de la décision (6 h)", timedelta(hours=6)),
    ("ssc-isolement-information", "Isolement au-delà de 48 h : information du juge et d'un proche", timedelta(hours=48)),
    ("ssc-contention-information", "Contention au-delà de 24 h : information du juge et d'un proche", timedelta(hours=24)),
    ("ssc-isolement-saisine", "Isolement : saisine du juge avant 72 h", timedelta(hours=72)),
    ("ssc-contention-saisine", "Contention : saisine du juge avant 48 h", timedelta(hours=48)),
]

REGLES_SAISINE_7J = [
    ("ssc-isolement-saisine-7j", "Isolement : nouvelle saisine du juge 7 jours après sa dernière décision de maintien"),
    ("ssc-contention-saisine-7j", "Contention : nouvelle saisine du juge 7 jours après sa dernière décision de maintien"),
]


def synchroniser() -> None:
    for code, libelle, base, a_verifier, delai, mois, satisfaite_par, roles in REGLES_MESURES:
        regle_synchroniser(code, module=MODULE, libelle=libelle, base_legale=base, a_verifier=a_verifier, delai=delai,
                           delai_mois=mois, satisfaite_par=satisfaite_par, roles=roles,
                           alerte_avant=timedelta(hours=12) if delai and delai <= timedelta(hours=72) else timedelta(days=3))
    for code, libelle, delai in REGLES_ISOLEMENT:
        regle_synchroniser(code, module=MODULE, libelle=libelle, base_legale="CSP L3222-5-1, R3211-31", a_verifier=False,
                           delai=delai, alerte_avant=timedelta(hours=2), roles=ADM_PSY,
                           satisfaite_par="Date saisie sur la décision (fin, information, saisine)")
    for code, libelle in REGLES_SAISINE_7J:
        regle_synchroniser(code, module=MODULE, libelle=libelle, base_legale="CSP L3222-5-1", a_verifier=False,
                           delai=timedelta(hours=168), alerte_avant=timedelta(hours=24), roles=ADM_PSY,
                           satisfaite_par="Date de saisine du juge saisie sur une décision de l'épisode, après sa "
                                          "dernière décision")
