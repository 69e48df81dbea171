from .ssc import (  # noqa: F401
    ActeMesure,
    DocumentAdmission,
    MesureIsolement,
    MesureSoinsSansConsentement,
    PatientSSC,
)
