"""Django admin lists of tables too large to count."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows (by the planner's estimate) a list counts exactly: COUNT(*) is cheap.
ESTIMATE_FROM = 100_000


class EstimatedCountPaginator(Paginator):
    """The count of an unfiltered list is PostgreSQL's estimate of the table's rows
    (pg_class.reltuples, kept by ANALYZE) once the table is large: COUNT(*) reads every row, and
    a table of visit counts per post and day holds tens of millions. Filtered lists, small
    tables, other databases and tables never analyzed are counted exactly."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row is not None and row[0] >= ESTIMATE_FROM:
                return row[0]
        return super().count
