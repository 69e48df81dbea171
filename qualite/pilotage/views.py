"""Annual report (request, progress, download, versions) and the dashboards."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from qualite.organisation import access, audit
from qualite.organisation.models import GHT, Etablissement, Pole
from qualite.outils import parametres
from qualite.pilotage import anonymat, charts, indicateurs_ru
from qualite.pilotage.chiffres import calculer_repartition, repartitions
from qualite.pilotage.models import RapportAnnuel
from qualite.pilotage.rapport import ServiceIndisponible, actions_par_pole, rapport_demander
from qualite.pilotage.selectors import chiffres_cles, etablissements_pour


def _annee(request):
    """Dashboards open on the current year (its figures so far); the year selector reaches the others."""
    return parametres.annee(request.GET, min=2000, defaut=timezone.localdate().year)


class DemandeRapportForm(forms.Form):
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100, widget=forms.Select)
    etablissement = forms.ModelChoiceField(label="Périmètre", queryset=Etablissement.objects.none(), required=False,
                                           empty_label="Tout le GHT")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        courante = timezone.localdate().year  # the current year so far first, then the nine before
        self.fields["annee"].widget.choices = [(a, f"{a} (en cours)" if a == courante else str(a))
                                               for a in range(courante, courante - 10, -1)]
        self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=access.etablissements_visibles(user))

    def clean(self):
        data = super().clean()
        if not data.get("etablissement") and not self.user.perimetre_ght:
            self.add_error("etablissement", "Le rapport du GHT est réservé aux comptes ayant accès à tout le GHT.")
        if data.get("annee") and data["annee"] > timezone.localdate().year:
            self.add_error("annee", "Année à venir : rien à compter.")
        return data


def _rapports_visibles(user):
    etabs = access.etablissements_visibles(user)
    qs = RapportAnnuel.objects.select_related("ght", "etablissement", "demande_par").filter(etablissement_id__in=etabs)
    if user.perimetre_ght:
        qs = RapportAnnuel.objects.select_related("ght", "etablissement", "demande_par").filter(
            ght__etablissements__in=etabs).distinct()
    return qs


@login_required
@require_http_methods(["GET", "POST"])
def rapports(request):
    user = request.user
    generer = access.has_perm(user, "rapports.generer")
    if not (generer or access.has_perm(user, "rapports.telecharger_anonyme")):
        raise PermissionDenied
    form = DemandeRapportForm(request.POST or None, user=user, initial={"annee": timezone.localdate().year})
    if request.method == "POST":
        if not generer:
            raise PermissionDenied
        if form.is_valid():
            etab = form.cleaned_data["etablissement"]
            ght = etab.ght if etab else GHT.objects.filter(etablissements__in=access.etablissements_visibles(user)).first()
            try:
                rapport = rapport_demander(par=user, annee=form.cleaned_data["annee"], ght=ght, etablissement=etab)
            except ServiceIndisponible as exc:
                messages.error(request, str(exc))
                return redirect("pilotage:rapports")
            messages.success(request, f"{rapport} demandé : la page se met à jour pendant sa préparation.")
            return redirect("pilotage:rapports")
    liste = list(_rapports_visibles(user)[:100])
    for r in liste:
        if r.statut == RapportAnnuel.Statut.PRET:
            r.complet_absent = generer and not r.fichier_present(anonyme=False)
            r.anonyme_absent = not r.fichier_present(anonyme=True)
    en_cours = any(r.statut in (RapportAnnuel.Statut.EN_ATTENTE, RapportAnnuel.Statut.EN_COURS) for r in liste)
    return render(request, "qualite/pilotage/rapports.html", {
        "form": form, "rapports": liste, "generer": generer, "rafraichir": en_cours,
    })


@login_required
@require_GET
def rapport_telecharger(request, pk):
    user = request.user
    rapport = _rapports_visibles(user).filter(pk=pk).first()
    if rapport is None or rapport.statut != RapportAnnuel.Statut.PRET:
        raise Http404
    if access.has_perm(user, "rapports.generer"):
        anonyme = bool(parametres.choix(request.GET, "version", {"anonyme"}))
    elif access.has_perm(user, "rapports.telecharger_anonyme"):
        anonyme = True
    else:
        raise PermissionDenied
    fichier = rapport.fichier_anonyme if anonyme else rapport.fichier
    try:
        if not rapport.fichier_present(anonyme=anonyme):
            raise FileNotFoundError(fichier.name)
        contenu = fichier.open("rb")
    except FileNotFoundError:
        # A restore without its files, or a lost volume: say so, never a 500.
        return render(request, "qualite/pilotage/fichier_absent.html", {"rapport": rapport}, status=404)
    audit.tracer(request, audit.Action.EXPORT, rapport, etablissement_id=rapport.etablissement_id,
                 details={"fichier": fichier.name})
    return FileResponse(contenu, as_attachment=True, filename=fichier.name.rsplit("/", 1)[-1],
                        content_type="application/pdf")


def _tableau(request, *, titre, anonyme_seulement, pole=None, tendances_ru=False):
    annee = _annee(request)
    etab_id = parametres.identifiant(request.GET, "etablissement")
    etabs = etablissements_pour(request.user, etab_id)
    chiffres = chiffres_cles(annee=annee, etablissements=etabs, pole_id=pole.pk if pole else None,
                             anonyme_seulement=anonyme_seulement, tendance=4)
    if anonyme_seulement:  # the CDU dashboard: small counts masked in figures and curves alike
        anonymat.masquer_chiffres(chiffres)
    for c in chiffres:
        c["svg"] = charts.courbe(titre=c["libelle"], etiquettes=[str(a) for a, _ in c["serie"]],
                                 valeurs=[n for _, n in c["serie"]], largeur=320, hauteur=150)
    contexte = {"titre": titre, "annee": annee, "chiffres": chiffres, "etablissements": etabs,
                "tous_etablissements": etablissements_pour(request.user), "etablissement_id": etab_id, "pole": pole}
    if tendances_ru:  # what the users' representatives bring, 5 years (qualite/pilotage/indicateurs_ru.py)
        contexte["tendances_ru"] = indicateurs_ru.tendances(annee=annee, etablissements=[e.pk for e in etabs])
    if pole is not None:
        parts = [(r, calculer_repartition(r, annee=annee, poles=[pole.pk]).get(pole.pk, [])) for r in repartitions()]
        contexte["repartitions"] = [
            {"titre": r.titre, "svg": charts.barres_horizontales(titre=r.titre, etiquettes=[lib for lib, _ in lignes],
                                                                  valeurs=[n for _, n in lignes]), "lignes": lignes}
            for r, lignes in parts
        ]
        contexte["actions"] = actions_par_pole([pole.pk], annee).get(pole.pk)
    return render(request, "qualite/pilotage/tableau.html", contexte)


@login_required
@require_GET
def tableau_direction(request):
    access.exiger(request.user, "tableaux.direction")
    return _tableau(request, titre="Tableau de bord de la direction", anonyme_seulement=False)


@login_required
@require_GET
def tableau_cdu(request):
    if not (access.has_perm(request.user, "tableaux.cdu") or access.has_perm(request.user, "tableaux.direction")):
        raise PermissionDenied
    return _tableau(request, titre="Tableau de bord de la Commission des usagers (anonymisé)", anonyme_seulement=True,
                    tendances_ru=True)


@login_required
@require_GET
def tableau_pole(request):
    user = request.user
    if access.has_perm(user, "tableaux.pole") and user.pole_id:
        pole = Pole.objects.select_related("etablissement").get(pk=user.pole_id)
    elif access.has_perm(user, "tableaux.direction"):
        pole_id = parametres.identifiant(request.GET, "pole")
        poles = Pole.objects.filter(etablissement_id__in=access.etablissements_visibles(user))
        pole = poles.filter(pk=pole_id).first() if pole_id else poles.order_by("nom").first()
        if pole is None:
            raise Http404
    else:
        raise PermissionDenied
    return _tableau(request, titre=f"Tableau de bord — {pole.nom}", anonyme_seulement=False, pole=pole)
