"""Pagination whose cost does not grow with the institution.

A staff queue of thousands of rows does not need its exact size to be useful: ``CappedPaginator`` counts at most
``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, which stops early) and shows "1000+" beyond; pages
past the cap are not offered. Each page is an index walk in the queue's order that stops after its rows.
"""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = 1000, counted: Callable[[], int] | None = None, **kwargs):
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
