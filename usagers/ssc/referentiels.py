"""The involuntary-care deadline rules, as data (docs/soins-sans-consentement.md, docs/echeances.md), with the law's
values: declared at import (the pure calendars take them as defaults), written into the rule table after every
`migrate` (qualite/echeances/referentiels.py). The table is then the source: services load its delays once per
recomputation. `a_verifier` marks what docs/soins-sans-consentement.md flags unconfirmed."""

from datetime import timedelta

from qualite.echeances.delais import Decompte as D
from qualite.echeances.referentiels import regle_declarer, regles_ecrire

ADM = ["bureau_admissions"]
ADM_PSY = ["bureau_admissions", "psychiatre"]
MODULE = "Soins sans consentement"
H = timedelta(hours=1)
J = timedelta(days=1)

# code, libellé, base légale, à vérifier, décompte, délai, délai en mois, satisfaite par, rôles
REGLES_MESURES = [
    ("ssc-certificat-24h", "Certificat de 24 heures", "CSP L3211-2-2", False, D.HEURES, 24 * H, None,
     "Certificat d'un psychiatre de l'établissement n'ayant pas rédigé de certificat d'admission", ADM_PSY),
    ("ssc-certificat-72h", "Certificat de 72 heures (propose la forme de prise en charge)", "CSP L3211-2-2", False,
     D.HEURES, 72 * H, None,
     "Certificat d'un psychiatre de l'établissement ; en urgence / péril imminent, distinct de celui de 24 h", ADM_PSY),
    ("ssc-certificat-mensuel-sdt", "Certificat mensuel de maintien (3 derniers jours de la période)", "CSP L3212-7", False,
     D.MOIS, None, 1, "Certificat mensuel daté dans les 3 derniers jours de la période", ADM_PSY),
    ("ssc-decision-forme-prefet", "Décision du préfet sur la forme de prise en charge (3 jours francs)", "CSP L3213-1",
     True, D.JOURS_FRANCS, 3 * J, None, "Décision sur la forme, après réception du certificat de 72 h", ADM),
    ("ssc-certificat-mensuel-sdre", "Certificat mensuel (SDRE)", "CSP L3213-3", False, D.MOIS, None, 1,
     "Certificat mensuel d'un psychiatre", ADM_PSY),
    ("ssc-arrete-apres-maire", "Arrêté préfectoral après mesure provisoire du maire (48 h)", "CSP L3213-2", False,
     D.HEURES, 48 * H, None, "Arrêté préfectoral ; à défaut la mesure provisoire est caduque", ADM),
    ("ssc-maire-refere-prefet", "Mesure provisoire du maire : en référer au préfet dans les 24 h", "CSP L3213-2", False,
     D.HEURES, 24 * H, None, "Date à laquelle le préfet a été saisi (acte « Saisine du préfet par le maire »)", ADM),
    ("ssc-spi-information-famille", "Péril imminent : information de la famille dans les 24 h", "CSP L3212-1 II 2°",
     True, D.HEURES, 24 * H, None,
     "Date de l'information de la famille, d'un proche ou de la personne chargée de la protection juridique", ADM),
    ("ssc-saisine-juge", "Saisine du juge (8 jours)", "CSP L3211-12-1", False, D.JOURS, 8 * J, None,
     "Saisine du magistrat du siège du tribunal judiciaire", ADM),
    ("ssc-decision-juge", "Décision du juge avant le 12e jour", "CSP L3211-12-1", False, D.JOURS, 12 * J, None,
     "Décision du juge ; à défaut, mainlevée", ADM),
    ("ssc-saisine-juge-6-mois", "Saisine du juge 15 jours avant l'échéance de 6 mois", "CSP L3211-12-1", True, D.MOIS,
     -15 * J, 6, "Saisine du juge", ADM),
    ("ssc-decision-juge-6-mois", "Décision du juge dans les 6 mois de la précédente", "CSP L3211-12-1", True, D.MOIS,
     None, 6, "Décision du juge ; à défaut, mainlevée", ADM),
    ("ssc-avis-college", "Avis du collège (soins de plus d'un an)", "CSP L3212-7, L3211-9", False, D.MOIS, None, 12,
     "Avis du collège de professionnels", ADM_PSY),
]

# code, libellé, délai (heures écoulées)
REGLES_ISOLEMENT = [
    ("ssc-isolement-renouvellement", "Isolement : fin ou renouvellement de la décision (12 h)", 12 * H),
    ("ssc-contention-renouvellement", "Contention : fin ou renouvellement de la décision (6 h)", 6 * H),
    ("ssc-isolement-information", "Isolement au-delà de 48 h : information du juge et d'un proche", 48 * H),
    ("ssc-contention-information", "Contention au-delà de 24 h : information du juge et d'un proche", 24 * H),
    ("ssc-isolement-saisine", "Isolement : saisine du juge avant 72 h", 72 * H),
    ("ssc-contention-saisine", "Contention : saisine du juge avant 48 h", 48 * H),
    ("ssc-isolement-saisine-7j", "Isolement : nouvelle saisine du juge 7 jours après sa dernière décision de maintien", 168 * H),
    ("ssc-contention-saisine-7j", "Contention : nouvelle saisine du juge 7 jours après sa dernière décision de maintien",
     168 * H),
]

# The psychiatrist's evaluations: two in each period of the measure (the period is the rule's delay).
REGLES_EVALUATION = [
    ("ssc-isolement-evaluation", "Isolement : deux évaluations par un psychiatre par période de 24 h", 24 * H),
    ("ssc-contention-evaluation", "Contention : deux évaluations par un psychiatre par période de 12 h", 12 * H),
]

SATISFAITES = {
    "renouvellement": "Fin de la décision saisie (ou renouvellement par une nouvelle décision)",
    "information": "Dates d'information du juge et d'un proche saisies sur une décision de l'épisode",
    "saisine": "Date de saisine du juge saisie sur une décision de l'épisode",
    "saisine-7j": "Date de saisine du juge saisie sur une décision de l'épisode, après sa dernière décision",
}

for code, libelle, base, a_verifier, decompte, delai, mois, satisfaite_par, roles in REGLES_MESURES:
    regle_declarer(code, module=MODULE, libelle=libelle, base_legale=base, a_verifier=a_verifier, decompte=decompte,
                   delai=delai, delai_mois=mois, satisfaite_par=satisfaite_par, roles=roles,
                   alerte_avant=12 * H if delai and timedelta(0) < delai <= 72 * H else 3 * J)
regle_declarer("ssc-arrete-maintien-prefet", module=MODULE,
               libelle="Arrêté préfectoral de maintien (1 mois, puis 3 mois, puis 6 mois)", base_legale="CSP L3213-4",
               a_verifier=False, decompte=D.MOIS, paliers_mois=[1, 3, 6], alerte_avant=3 * J, roles=ADM,
               satisfaite_par="Arrêté de maintien avant la fin de la période en cours ; à défaut la mesure est levée")
for code, libelle, delai in REGLES_ISOLEMENT:
    regle_declarer(code, module=MODULE, libelle=libelle, base_legale="CSP L3222-5-1, R3211-31", a_verifier=False,
                   decompte=D.HEURES, delai=delai, alerte_avant=24 * H if delai >= 168 * H else 2 * H, roles=ADM_PSY,
                   satisfaite_par=SATISFAITES[code.split("-", 2)[2]])
for code, libelle, delai in REGLES_EVALUATION:
    regle_declarer(code, module=MODULE, libelle=libelle, base_legale="CSP L3222-5-1, R3211-31", a_verifier=False,
                   decompte=D.HEURES, delai=delai, alerte_avant=2 * H, roles=ADM_PSY,
                   satisfaite_par="Deuxième évaluation de la période enregistrée par un psychiatre")


def synchroniser() -> None:
    regles_ecrire(MODULE)
