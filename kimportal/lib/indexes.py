"""Index definitions that PostgreSQL and SQLite (`make run`) both accept."""

from django.db.models import Index
from django.db.models.expressions import OrderBy


class NullsOrderedIndex(Index):
    """An index whose expressions say where NULLs sort (`F(...).asc(nulls_first=True)`), so that
    PostgreSQL reads a query ordered the same way straight from it. SQLite refuses NULLS FIRST
    and NULLS LAST in CREATE INDEX; there it gets the same columns in plain order."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = Index(
            *(
                OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
                for e in self.expressions
            ),
            name=self.name,
            condition=self.condition,
        )
        return plain.create_sql(model, schema_editor, using=using, **kwargs)
