"""The readiness view: per chapter and objective, each criterion's evidence from every register
(evaluations, audits, documents, actions, indicators), impératifs first, and what is missing."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certification import selectors
from certification.access import exiger_consulter
from certification.forms import PreparationForm
from certification.models import Critere, Referentiel


@login_required
@require_GET
def preparation(request):
    exiger_consulter(request.user)
    form = PreparationForm(request.GET or None, user=request.user)
    etabs = list(form.fields["etablissement"].queryset)
    etablissement = referentiel = None
    if form.is_bound and form.is_valid():
        etablissement, referentiel = form.cleaned_data["etablissement"], form.cleaned_data["referentiel"]
    elif not form.is_bound and etabs:
        etablissement = etabs[0]
    referentiel = referentiel or Referentiel.objects.filter(actif=True).first()
    chapitres, bilan = [], None
    if etablissement and referentiel:
        chapitres = selectors.preparation(referentiel=referentiel, etablissement_id=etablissement.pk, user=request.user)
        lignes = [ligne for c in chapitres for o in c["objectifs"] for ligne in o["lignes"]]
        imperatifs = [ligne for ligne in lignes if ligne.critere.type == Critere.Type.IMPERATIF]
        bilan = {"criteres": len(lignes), "sans_preuve": sum(1 for ligne in lignes if not ligne.n_preuves),
                 "imperatifs": len(imperatifs),
                 "imperatifs_sans_preuve": [ligne for ligne in imperatifs if not ligne.n_preuves]}
    return render(request, "certification/preparation.html", {
        "form": form, "etablissement": etablissement, "referentiel": referentiel, "chapitres": chapitres,
        "bilan": bilan})
