"""Import of a register from CSV / XLSX, and the column definition its export shares.

A register is an ordered list of columns; each column knows how to read a cell
(`lire`) and how to write one (`ecrire`), so an export re-imports unchanged.
Every error of the file is collected as (line as the user sees it, column,
message) before anything is written; the writing itself runs in one transaction
and is rolled back if a domain rule refuses a single row.

The domain apps declare their registers in their AppConfig.ready() through
`enregistrer()`: this module never imports them."""

from qualite.outils.importation.analyse import Analyse, analyser  # noqa: F401
from qualite.outils.importation.attente import chemin_en_attente  # noqa: F401
from qualite.outils.importation.colonnes import (  # noqa: F401
    SEPARATEUR,
    Colonne,
    Contexte,
    Erreur,
    ErreurValeur,
    booleen,
    choix,
    choix_multiples,
    cle_entete,
    date_,
    date_heure,
    decimal_,
    ecrire_date_heure,
    entier,
    etablissement,
    informative,
    pole,
    reference,
    service,
    services_multiples,
    texte,
)
from qualite.outils.importation.ecriture import Bilan, ecrire  # noqa: F401
from qualite.outils.importation.registres import (  # noqa: F401
    REGISTRES,
    Operation,
    Registre,
    champs_modifies,
    cle_numerotee,
    enregistrer,
    numeroter,
    reference_numerotee,
    registres_pour,
)
