"""Import in bulk and streamed export, each against PostgreSQL COPY of the same rows, measured in one run.

    DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL=... REDIS_URL=... \\
        .venv/bin/python scripts/bench_import_export.py [--import 50000] [--export 100000] [--actes 2000]

On a dedicated database after `manage.py demo` and `manage.py generer_evenements` (the export reads the
register as it is, up to --export rows). The imports run as a dry run (every rule and write, then rolled
back): the database is unchanged. `mesurer(...)` returns the result rows for the common benchmark.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402


class _Annuler(Exception):
    pass


def _ligne(mesure: str, valeur: float, unite: str, reference: float | None = None, cible: str = "", echelle: str = ""):
    return {"mesure": mesure, "valeur": round(valeur, 2), "unite": unite,
            "reference": None if reference is None else round(reference, 2),
            "ratio": None if not reference else round(valeur / reference, 1), "cible": cible, "echelle": echelle}


# ---- import of adverse events --------------------------------------------------------------------------

def _copy_evenements(analyse, user) -> float:
    """Reference: the same rows COPYed straight into the table (history triggers and foreign keys checked
    immediately, as in the import), rolled back."""
    from evenements.models import EvenementIndesirable
    from qualite.outils.copie import _copier, _lecteurs

    maintenant = timezone.now()
    objets = []
    for i, op in enumerate(analyse.operations):
        v = {k: x for k, x in op.valeurs.items() if k not in ("etablissement", "service")}
        s = op.valeurs["service"]
        objets.append(EvenementIndesirable(etablissement_id=s.pole.etablissement_id, pole_id=s.pole_id, service=s,
                                           created_by=user, reference=f"EI-1900-{i:07d}", **v))
    meta = EvenementIndesirable._meta
    champs = [c for c in meta.concrete_fields if not c.primary_key]
    lecteurs = _lecteurs(champs, maintenant)
    lignes = [[lire(o) for lire in lecteurs] for o in objets]
    debut = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _copier(meta.db_table, [c.column for c in champs], lignes)
            duree = time.perf_counter() - debut
            raise _Annuler
    except _Annuler:
        pass
    return duree


def mesurer_import(lignes: int, user) -> list[dict]:
    from bench_import import generer

    from qualite.outils import importation

    registre = importation.REGISTRES["evenements"]
    contenu = generer(lignes, user)
    t0 = time.perf_counter()
    analyse = importation.analyser(registre, contenu, utilisateur=user, nom_fichier="bench.csv",
                                   limites=importation.lecture.Limites.commande())
    t1 = time.perf_counter()
    bilan = importation.ecrire(analyse, utilisateur=user, essai=True)
    t2 = time.perf_counter()
    if bilan.erreurs or analyse.erreurs:
        raise SystemExit("\n".join(str(e) for e in (analyse.erreurs or bilan.erreurs)[:20]))
    copie = _copy_evenements(analyse, user)
    echelle = f"{lignes} évènements"
    return [
        _ligne("import évènements : lecture + vérification", t1 - t0, "s", echelle=echelle),
        _ligne("import évènements : écriture en lot", t2 - t1, "s", echelle=echelle),
        _ligne("import évènements de bout en bout", t2 - t0, "s", copie, "≤ 30 s à 50 000", echelle),
        _ligne("import évènements : débit", lignes / (t2 - t0), "lignes/s", echelle=echelle),
    ]


# ---- SSC records -----------------------------------------------------------------------------------------

def mesurer_actes(nombre: int, user, par_mesure: int = 10) -> list[dict]:
    """`nombre` records over nombre / par_mesure measures admitted for the run (rolled back with it): the 24 h
    and 72 h certificates, then monthly ones."""
    from qualite.organisation import access
    from qualite.organisation.models import Service
    from qualite.outils import importation
    from usagers.ssc import services

    service = Service.objects.filter(pole__etablissement_id__in=access.etablissements_visibles(user)).order_by("pk").first()
    mesures = max(1, nombre // par_mesure)
    resultats = {}
    try:
        with transaction.atomic():
            t0 = (timezone.localtime() - timedelta(days=31 * par_mesure + 10)).replace(second=0, microsecond=0)
            sortie = io.StringIO()
            sortie.write("Référence;Mesure;Type;Date et heure;Auteur;Psychiatre de l'établissement;Conclusion;Forme;Commentaire\n")
            for i in range(mesures):
                m = services.mesure_admettre(par=user, service=service, patient={
                    "ipp": f"BENCH-{i}", "nom": "Banc", "prenom": "Essai", "date_naissance": t0.date().replace(year=1980)},
                    mesure={"mode": "sdt", "t0": t0 - timedelta(minutes=i), "tiers_nom": "Tiers", "tiers_lien": "frère"})
                debut = timezone.localtime(m.t0)
                actes = [("Certificat de 24 heures", debut + timedelta(hours=20), "Dr Un", "maintien", ""),
                         ("Certificat de 72 heures", debut + timedelta(hours=70), "Dr Deux", "maintien", "hc")]
                actes += [("Certificat mensuel", debut + timedelta(days=30 * k - 1), "Dr Un", "maintien", "")
                          for k in range(1, par_mesure - 1)]
                for type_, quand, auteur, conclusion, forme in actes:
                    sortie.write(f";{m.reference};{type_};{quand:%d/%m/%Y %H:%M};{auteur};oui;{conclusion};{forme};\n")
            contenu = sortie.getvalue().encode()
            registre = importation.REGISTRES["actes_ssc"]
            for en_lot in (True, False):
                debut = time.perf_counter()
                analyse = importation.analyser(registre, contenu, utilisateur=user, nom_fichier="actes.csv")
                bilan = importation.ecrire(analyse, utilisateur=user, essai=True, en_lot=en_lot)
                if analyse.erreurs or bilan.erreurs:
                    raise SystemExit("\n".join(str(e) for e in (analyse.erreurs or bilan.erreurs)[:20]))
                resultats[en_lot] = (bilan.crees, time.perf_counter() - debut)
            raise _Annuler
    except _Annuler:
        pass
    n, lot = resultats[True]
    _, ligne = resultats[False]
    echelle = f"{n} actes sur {mesures} mesures"
    return [_ligne("import actes SSC en lot", n / lot, "lignes/s", cible="≥ 500 lignes/s", echelle=echelle),
            _ligne("import actes SSC ligne à ligne (avant)", n / ligne, "lignes/s", echelle=echelle)]


# ---- export -----------------------------------------------------------------------------------------------

def mesurer_export(lignes: int, user) -> list[dict]:
    from evenements import views
    from evenements.selectors import evenements_liste

    filtre = evenements_liste(user, {})
    qs = filtre.qs[:lignes]
    n = qs.count()
    # reference: COPY of the same columns, dates formatted by PostgreSQL
    sql_qs = filtre.qs.values_list("pk", flat=True)[:lignes]
    ids_sql, params = sql_qs.query.sql_with_params()
    copie_sql = (f"COPY (SELECT e.reference, to_char(e.survenu_le AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI'), "
                 "et.nom, p.nom, s.nom, t.libelle, array_to_string(e.personnes, ' | '), e.description, e.lieu, "
                 "e.mesures_immediates, e.consequences, e.gravite_estimee, e.confidentiel, e.gravite, e.vraisemblance, "
                 "e.gravite * e.vraisemblance, e.statut FROM evenements_evenementindesirable e "
                 "JOIN organisation_etablissement et ON et.id = e.etablissement_id JOIN organisation_pole p ON p.id = e.pole_id "
                 "JOIN organisation_service s ON s.id = e.service_id JOIN evenements_typeevenement t ON t.id = e.type_id "
                 f"WHERE e.id IN ({ids_sql})) TO STDOUT WITH (FORMAT csv, DELIMITER ';')")
    debut = time.perf_counter()
    octets_copie = 0
    with connection.cursor() as c:
        with c.cursor.copy(connection.ops.compose_sql(copie_sql, params)) as copie:
            for bloc in copie:
                octets_copie += len(bloc)
    duree_copie = time.perf_counter() - debut

    def exporter(limite, memoire=False):
        requete = RequestFactory().get("/evenements/", {"export": "csv"})
        requete.user = user
        filtre_limite = evenements_liste(user, {})
        filtre_limite._qs = filtre_limite.qs[:limite]  # the same view code, on the first `limite` rows
        if memoire:
            tracemalloc.start()
        debut, octets = time.perf_counter(), 0
        for morceau in views._exporter(requete, filtre_limite, "csv").streaming_content:
            octets += len(morceau)
        duree, pic = time.perf_counter() - debut, 0
        if memoire:
            pic = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return duree, octets, pic / 2**20

    duree, octets, _ = exporter(n)  # timed without tracemalloc, which slows every allocation
    _, _, pic = exporter(n, memoire=True)
    _, _, pic_petit = exporter(max(1, n // 10), memoire=True)
    echelle = f"{n} évènements, {octets / 2**20:.0f} Mo"
    return [
        _ligne("export CSV en flux", duree, "s", duree_copie, "≤ 5× COPY et < 30 s", echelle),
        _ligne("export CSV : mémoire au pic (Python)", pic, "Mo", pic_petit, "plate (référence : 1/10 des lignes)", echelle),
    ]


def mesurer(lignes_import: int = 50_000, lignes_export: int = 100_000, actes: int = 2_000,
            utilisateur: str = "qualiticien", export_par: str = "direction") -> list[dict]:
    from qualite.organisation.models import Utilisateur

    user = Utilisateur.objects.get(username=utilisateur)
    resultats = []
    if lignes_import:
        resultats += mesurer_import(lignes_import, user)
    if actes:
        resultats += mesurer_actes(actes, Utilisateur.objects.get(username="admissions"))
    if lignes_export:
        resultats += mesurer_export(lignes_export, Utilisateur.objects.get(username=export_par))
    return resultats


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--import", dest="lignes_import", type=int, default=50_000)
    parser.add_argument("--export", dest="lignes_export", type=int, default=100_000)
    parser.add_argument("--actes", type=int, default=2_000)
    args = parser.parse_args()
    print(f"{'Mesure':<44} {'valeur':>10} {'unité':<9} {'COPY':>8} {'ratio':>6}  cible ; échelle")
    for r in mesurer(args.lignes_import, args.lignes_export, args.actes):
        ref = "" if r["reference"] is None else r["reference"]
        ratio = "" if r["ratio"] is None else f"{r['ratio']}×"
        print(f"{r['mesure']:<44} {r['valeur']:>10} {r['unite']:<9} {ref:>8} {ratio:>6}  {r['cible']} ; {r['echelle']}")


if __name__ == "__main__":
    main()
