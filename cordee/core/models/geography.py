from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """Reference data: municipalities of the territory (loaded from data/*.csv)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    geo_code = models.CharField(_("geographic code"), max_length=10, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population_2021 = models.PositiveIntegerField(_("population (2021)"), null=True, blank=True)
    coords_checked = models.BooleanField(_("coordinates checked"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name
