from django.urls import path

from . import urls_deliveries, urls_orders, urls_recovery
from .views import catalogue, impact, imports, receptions, stock, temperatures

app_name = "logistics"

urlpatterns = [
    path("", stock.overview, name="overview"),
    path("receptions/", receptions.reception_list_view, name="reception_list"),
    path("receptions/nouvelle/", receptions.reception_create, name="reception_create"),
    path("receptions/<int:pk>/", receptions.reception_detail, name="reception_detail"),
    path("receptions/importer/", imports.reception_import, name="reception_import"),
    path(
        "receptions/importer/apercu/",
        imports.reception_import_preview,
        name="reception_import_preview",
    ),
    path("lots/<int:pk>/", stock.lot_detail, name="lot_detail"),
    path("lots/<int:pk>/perte/", stock.lot_loss, name="lot_loss"),
    path("a-ecouler/", stock.expiring, name="expiring"),
    path("inventaire/", stock.inventory, name="inventory"),
    path("inventaire/importer/", imports.stock_count_import, name="stock_count_import"),
    path(
        "inventaire/importer/apercu/",
        imports.stock_count_import_preview,
        name="stock_count_import_preview",
    ),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("impact/", impact.impact, name="impact"),
    path("temperatures/", temperatures.temperature_list, name="temperature_list"),
    path("temperatures/<int:pk>/", temperatures.temperature_unit, name="temperature_unit"),
    *urls_orders.urlpatterns,
    *urls_deliveries.urlpatterns,
    *urls_recovery.urlpatterns,
]
