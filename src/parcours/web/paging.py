"""Pagination whose cost does not grow with the institution.

A staff queue of thousands of rows does not need its exact size to be useful: ``CappedPaginator`` counts at most
``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, which stops early) and shows "1000+" beyond; pages
past the cap are not offered. Each page is an index walk in the queue's order that stops after its rows.
"""

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property

CAP = 1000  # a list's count stops there: "1000+"


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = CAP, counted: Callable[[], int] | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.counted = counted  # a cheaper exact count the caller knows how to make

    @cached_property
    def count(self) -> int:
        if self.counted is not None:
            return self.counted()
        return self.object_list.order_by()[: self.cap + 1].count()  # no sort: any cap + 1 rows will do

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return super().num_pages if not self.capped else -(-self.cap // self.per_page)

    @property
    def count_label(self) -> str:
        return f"{self.cap}+" if self.capped else str(self.count)

    @property
    def num_pages_label(self) -> str:
        return f"{self.num_pages}+" if self.capped else str(self.num_pages)


def counts(**querysets: QuerySet) -> dict[str, int]:
    """Several counts in one round trip: ``SELECT (SELECT COUNT(*) FROM (<q1>)) AS a, (…) AS b``. Each queryset is
    counted as it stands — its columns and DISTINCT kept, its order dropped, a slice stopping its count there (the
    cap of ``CappedPaginator``). A page heading its lists with five counts pays one query, not five."""
    parts, params = [], []
    for name, queryset in querysets.items():
        query = queryset.query.clone()
        query.clear_ordering(force=True)
        try:
            sql, query_params = query.sql_with_params()
        except EmptyResultSet:  # a filter Django knows matches nothing (``pk__in=[]``)
            sql, query_params = "SELECT 1 WHERE 1 = 0", ()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted) AS {connection.ops.quote_name(name)}")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))
