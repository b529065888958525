"""Django's `flush`, allowed to empty the audit log along with every other table.

The audit table's trigger refuses TRUNCATE unless the session sets `kim.audit_erase` (see
audit/migrations/0001_initial.py). Erasing the whole database is the one case where the log
goes too: `manage.py flush` (asked for confirmation) and the test suite's reset between
transactional tests, which calls this command. Whoever can run it can drop the trigger anyway;
the guard is against every other path (the app, an operator's stray DELETE, a script).

Django lets an installed app override a built-in command of the same name, as
django.contrib.staticfiles does with runserver.
"""

from django.core.management.commands import flush
from django.db import connections

ERASE_SETTING = "kim.audit_erase"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(f"SET {ERASE_SETTING} = 'on'")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"RESET {ERASE_SETTING}")
