from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "cordee.logistics"
    label = "logistics"
    verbose_name = _("Food hub logistics")
