from qualite.identite.tests.slapd import annuaire  # noqa: F401
