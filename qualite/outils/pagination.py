"""The one paginator of the registers' list pages.

Fetching a page's 50 rows is cheap; counting every row of the user's scope on each request is
not (it reads the whole table). The count is kept in the cache under a key naming the exact
query (scope and filters) and the register's version (qualite/outils/registres.py), so it is
computed again only when the register changes or after registres.DUREE seconds.

A far page (past LOINTAINE rows) is read in two steps: the ids of its rows first (the sort index alone, no join), then
those rows with their joins; otherwise PostgreSQL joins every skipped row before the OFFSET."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property

from qualite.outils import registres

LOINTAINE = 1000  # rows skipped from which the joins of the skipped rows cost more than one more query


class PaginateurRegistre(Paginator):
    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if not hasattr(qs, "query") or not registres.suivi(qs.model):
            return super().count
        compte = qs.order_by()
        return registres.en_cache(lambda: registres.cle_requete("compte", compte), compte.count)


    def page(self, number):
        page = super().page(number)
        qs = self.object_list
        if (page.start_index() > LOINTAINE and hasattr(qs, "query") and qs._iterable_class is ModelIterable
                and registres.suivi(qs.model)):
            ids = list(page.object_list.values_list("pk", flat=True))
            lignes = {o.pk: o for o in qs.filter(pk__in=ids)}
            page.object_list = [lignes[i] for i in ids if i in lignes]
        return page


def paginer(request, qs, par_page: int = 50):
    """The page asked by ?page= (the last one when past the end, the first when not a number)."""
    return PaginateurRegistre(qs, par_page).get_page(request.GET.get("page"))
