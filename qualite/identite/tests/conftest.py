from qualite.identite.tests.oidc_fixture import fournisseur_oidc  # noqa: F401
from qualite.identite.tests.slapd import annuaire  # noqa: F401
