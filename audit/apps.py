from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = _("Log audit")

    def ready(self) -> None:
        # Staff sign-ins and failed sign-ins come from django.contrib.auth's signals.
        from audit import signals

        signals.connect()
