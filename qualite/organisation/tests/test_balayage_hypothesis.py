"""Sweep of every URL of the URLconf (admin included) with hostile input: no response may be a 500.

The concrete URLs are built from the resolver, their integer segments filled with the keys of the
demonstration data (the key that opens the page for the administrator is kept), their text segments
with hostile strings. Each page is then read by several roles with hostile query parameters, and every
form it shows is posted back with hostile values; Hypothesis picks the combinations."""

import itertools
import re
import time

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

HOSTILES = ["\x00", "a\x00b", "²", "1" * 22, "-1", "-99999999999", "0", "9999-12-31", "0001-01-01",
            "2024-02-30", "9999-12-31T23:59", "0001-01-01T00:00", "x" * 10_000, "é🙂\u202e\ufeff", "' OR 1=1 --",
            "<script>alert(1)</script>", "1e308", "NaN", "", " ", "[]", "{}", "../../etc/passwd", "%00", "true"]
SEGMENTS_TEXTE = ["x", "²", "a" * 300, "<b>", "..", "1" * 22]
# Query parameters the views and FilterSets read, completed below by every FilterSet's filter names.
PARAMETRES = {"annee", "etablissement", "pole", "version", "export", "format", "nature", "page", "obj", "method",
              "q", "o", "p", "e", "all", "_changelist_filters", "next", "tri", "statut", "service", "du", "au", "ip"}
# Posting here would log the sweep out, or delete what the next pages need.
SANS_POST = re.compile(r"deconnexion|/delete/|mot-de-passe|/password/|/logout")

ROLES = ["qualiticien", "cadre", "relations", "admissions", "declarant", "cdu", "direction", "mediateur"]


def _filtres():
    import django_filters

    for module in ("qualite.organisation.filters", "qualite.echeances.filters", "qualite.paqss.filters",
                   "evenements.filters", "usagers.ssc.filters"):
        __import__(module)

    def sous_classes(cls):
        for sc in cls.__subclasses__():
            yield sc
            yield from sous_classes(sc)

    return {nom for fs in sous_classes(django_filters.FilterSet) for nom in getattr(fs, "base_filters", {})}


def _motifs(resolver=None, espace=""):
    """(namespaced name, kwarg names, int kwarg names) of every named URL pattern."""
    resolver = resolver or get_resolver()
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            ns = f"{espace}{motif.namespace}:" if motif.namespace else espace
            yield from _motifs(motif, ns)
        elif isinstance(motif, URLPattern) and motif.name:
            convertisseurs = getattr(motif.pattern, "converters", {})
            regex = motif.pattern.regex
            noms = list(regex.groupindex)
            entiers = [n for n in noms if type(convertisseurs.get(n)).__name__ == "IntConverter"]
            yield f"{espace}{motif.name}", noms, entiers


def _modeles_admin():
    return {f"admin:{m._meta.app_label}_{m._meta.model_name}_": m for m in admin.site._registry}


def _cles(modele):
    return [str(pk) for pk in modele._default_manager.order_by("pk").values_list("pk", flat=True)[:2]]


def _peupler():
    from certification.tests.factories import CritereFactory, EvaluationFactory, ValeurFactory
    from qualite.organisation.demo import charger_demo
    from qualite.organisation.models import Service, Utilisateur
    from qualite.organisation.tests.factories import ActionFactory

    charger_demo()
    service = Service.objects.filter(pole__etablissement__nom__contains="Valmont").first()
    ActionFactory(service=service)
    EvaluationFactory(service=service)
    CritereFactory(referentiel__actif=False)  # the demo already loads the active example référentiel
    ValeurFactory(etablissement=service.pole.etablissement)
    return Utilisateur.objects.get(username="admin")


def _urls_concretes(sweep):
    """Every named pattern as concrete URLs; integer keys tried from the data until one opens the page."""
    applications = ("organisation", "echeances", "paqss", "pilotage", "evenements", "ssc", "relations_usagers",
                    "certification")
    modeles = [m for app in applications
               for m in apps.get_app_config(app).get_models()]
    pool = sorted({int(pk) for m in modeles for pk in _cles(m)})[:14] or [1]
    admin_modeles = _modeles_admin()
    urls = []
    for nom, noms, entiers in _motifs():
        if not noms:
            try:
                urls.append(reverse(nom))
            except NoReverseMatch:
                pass
            continue
        if nom.startswith("admin:"):
            modele = next((m for p, m in admin_modeles.items() if nom.startswith(p)), None)
            if "app_label" in noms:
                candidats = [{"app_label": a} for a in {m._meta.app_label for m in admin_modeles.values()}]
            elif modele is not None and "object_id" in noms:
                candidats = [{"object_id": c} for c in _cles(modele) + ["²", "0"]]
            else:
                candidats = [dict.fromkeys(noms, "1")]
            for kw in candidats:
                try:
                    urls.append(reverse(nom, kwargs=kw))
                except NoReverseMatch:
                    pass
            continue
        textes = [n for n in noms if n not in entiers]
        retenues = []
        for valeurs in itertools.islice(itertools.product(pool, repeat=len(entiers)), len(pool)):
            kw = dict(zip(entiers, valeurs, strict=True)) | dict.fromkeys(textes, "x")
            try:
                url = reverse(nom, kwargs=kw)
            except NoReverseMatch:
                continue
            if sweep.get(url).status_code == 200:
                retenues.append(url)
                break
        if not retenues:
            kw = dict.fromkeys(entiers, pool[0]) | dict.fromkeys(textes, "x")
            retenues.append(reverse(nom, kwargs=kw))
        urls.extend(retenues)
        for texte in SEGMENTS_TEXTE if textes else []:  # hostile text segments, on the retained keys
            kw = dict(zip(entiers, [int(x) for x in re.findall(r"\d+", retenues[0])[:len(entiers)]], strict=False))
            try:
                urls.append(reverse(nom, kwargs=kw | dict.fromkeys(textes, texte)))
            except (NoReverseMatch, TypeError):
                pass
    return sorted(set(urls))


CHAMPS = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.I)


class Balayage:
    def __init__(self, superuser):
        from qualite.organisation.models import Utilisateur

        self.client = Client(raise_request_exception=False)
        self.utilisateurs = {"admin": superuser, **{u.username: u for u in Utilisateur.objects.filter(username__in=ROLES)},
                             "anonyme": None}
        self.requetes = 0
        self.erreurs = []
        self.champs = {}

    def _requete(self, methode, url, qui, donnees):
        """One request in its own savepoint, rolled back: a page that broke the transaction does not
        break the next one, and hostile posts leave the data as the next page expects it."""
        point = transaction.savepoint()
        try:
            self.client.cookies.clear()
            if self.utilisateurs[qui] is not None:
                self.client.force_login(self.utilisateurs[qui])
            reponse = getattr(self.client, methode.lower())(url, donnees)
        finally:
            transaction.savepoint_rollback(point)
        self.requetes += 1
        if reponse.status_code >= 500:
            self.erreurs.append((reponse.status_code, methode, url, qui, {k: v[:40] for k, v in donnees.items()}))
        return reponse

    def get(self, url, qui="admin", params=None):
        return self._requete("GET", url, qui, params or {})

    def post(self, url, qui="admin", donnees=None):
        return self._requete("POST", url, qui, donnees or {})

    def champs_de(self, url):
        if url not in self.champs:
            reponse = self.get(url)
            # A download (a file streamed back) has no form to read.
            lisible = reponse.status_code == 200 and not getattr(reponse, "streaming", False)
            corps = reponse.content.decode(errors="replace") if lisible else ""
            self.champs[url] = sorted(set(CHAMPS.findall(corps)) - {"csrfmiddlewaretoken"})
        return self.champs[url]


def test_aucune_url_ne_repond_500_a_une_entree_hostile(db):
    debut = time.monotonic()
    superuser = _peupler()
    sweep = Balayage(superuser)
    urls = _urls_concretes(sweep)
    parametres = sorted(PARAMETRES | _filtres())
    app_urls = [u for u in urls if not u.startswith("/admin/")]
    postables = [u for u in urls if not SANS_POST.search(u)]
    assert len(urls) > 100, "the URLconf walk found every pattern"

    # 1. Every URL, as the administrator, with every known parameter set to one hostile value (rotating).
    for i, url in enumerate(urls):
        valeur = HOSTILES[i % len(HOSTILES)]
        sweep.get(url, "admin", dict.fromkeys(parametres, valeur) if "\x00" not in valeur else {"annee": valeur})
    # 2. Every application URL as roles that open different pages, every known parameter set to two typed
    #    hostile values (a year "²", 22 digits, a date in year 1 or 9999...), rotating.
    typees = ["²", "1" * 22, "0001-01-01", "9999-12-31", "-1", "x" * 10_000]
    for k, qui in enumerate(["qualiticien", "relations", "cdu", "direction", "admissions", "anonyme"]):
        for i, url in enumerate(app_urls):
            for j in (0, 1):
                sweep.get(url, qui, dict.fromkeys(parametres, typees[(i + k + 3 * j) % len(typees)]))
    # 3. Every form shown, posted back once by the administrator with every field hostile.
    for i, url in enumerate(postables):
        champs = sweep.champs_de(url)
        if champs:
            valeur = HOSTILES[i % len(HOSTILES)]
            sweep.post(url, "admin", dict.fromkeys(champs, valeur))

    # 4. Hypothesis: random hostile combinations of parameters, fields, roles and pages.
    valeur = st.one_of(st.sampled_from(HOSTILES), st.text(max_size=30), st.integers().map(str),
                       st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()))

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def requete_au_hasard(data):
        qui = data.draw(st.sampled_from([*sweep.utilisateurs]))
        if data.draw(st.booleans()):
            url = data.draw(st.sampled_from(urls))
            noms = data.draw(st.lists(st.one_of(st.sampled_from(parametres), st.text(min_size=1, max_size=8)),
                                      max_size=5))
            sweep.get(url, qui, {n: data.draw(valeur) for n in noms})
        else:
            url = data.draw(st.sampled_from(postables))
            champs = sweep.champs_de(url)
            noms = data.draw(st.lists(st.sampled_from(champs), max_size=len(champs), unique=True)) if champs else []
            sweep.post(url, qui, {n: data.draw(valeur) for n in noms})

    requete_au_hasard()
    duree = time.monotonic() - debut
    print(f"\nBalayage : {len(urls)} URL concrètes, {sweep.requetes} requêtes en {duree:.0f} s")
    assert not sweep.erreurs, "\n".join(map(str, sweep.erreurs[:40]))
