from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiaranConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "siaran"
    verbose_name = _("Siaran")
