"""Two people move the same version at the same instant, in two real transactions: one step is recorded,
the other is refused with the other person's name, nothing is written twice."""

import threading

import pytest
from django.db import connection

from qualite.documents import services
from qualite.documents.models import EtapeVersion, VersionDocument
from qualite.documents.tests.outils import document_de_test
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from qualite.outils.revisions import ConflitDeRevision

pytestmark = pytest.mark.django_db(transaction=True)


def test_deux_verifications_simultanees_une_seule_passe(monde):
    redacteur = monde.users["gestionnaire_risques"]
    verificateurs = [UtilisateurFactory(username=f"verif{i}", roles=[Role.GESTIONNAIRE_RISQUES],
                                        etablissements=[monde.etab_a]) for i in range(2)]
    document = document_de_test(monde, par=redacteur)
    version = services.version_transition(version=document.versions.get(), vers="verification", par=redacteur)
    revision = version.revision
    depart = threading.Barrier(2)
    resultats: dict[str, object] = {}

    def verifier(user):
        try:
            depart.wait(timeout=30)
            services.version_transition(version=version, vers="approbation", par=user, revision=revision)
            resultats[user.username] = "fait"
        except ConflitDeRevision as exc:
            resultats[user.username] = exc
        finally:
            connection.close()

    fils = [threading.Thread(target=verifier, args=(u,)) for u in verificateurs]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    assert sorted(type(r).__name__ for r in resultats.values()) == ["ConflitDeRevision", "str"]
    gagnant = next(nom for nom, r in resultats.items() if r == "fait")
    perdant = next(r for r in resultats.values() if r != "fait")
    assert "Modifié entre-temps par" in perdant.messages[0] and "rien n'a été enregistré" in perdant.messages[0]
    version.refresh_from_db()
    assert version.statut == VersionDocument.Statut.APPROBATION and version.verifiee_par.username == gagnant
    assert EtapeVersion.objects.filter(version=version, vers="approbation").count() == 1
