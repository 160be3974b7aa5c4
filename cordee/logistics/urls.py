from django.urls import path

from . import urls_deliveries, urls_orders
from .views import catalogue, receptions, stock

app_name = "logistics"

urlpatterns = [
    path("", stock.overview, name="overview"),
    path("receptions/", receptions.reception_list_view, name="reception_list"),
    path("receptions/nouvelle/", receptions.reception_create, name="reception_create"),
    path("receptions/<int:pk>/", receptions.reception_detail, name="reception_detail"),
    path("lots/<int:pk>/", stock.lot_detail, name="lot_detail"),
    path("lots/<int:pk>/perte/", stock.lot_loss, name="lot_loss"),
    path("a-ecouler/", stock.expiring, name="expiring"),
    path("inventaire/", stock.inventory, name="inventory"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    *urls_orders.urlpatterns,
    *urls_deliveries.urlpatterns,
]
