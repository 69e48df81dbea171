from .relations import (  # noqa: F401
    CampagneDialogue,
    DemandeDossier,
    EntretienDialogue,
    MembreCDU,
    ModeleLettre,
    QuestionDialogue,
    Reclamation,
    RecommandationCDU,
    SeanceCDU,
    ThemeDialogue,
)
from .ssc import (  # noqa: F401
    ActeMesure,
    DecisionJugeIsolement,
    DocumentAdmission,
    MesureIsolement,
    MesureSoinsSansConsentement,
    PatientSSC,
)
