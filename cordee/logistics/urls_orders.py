"""Delivery days (hub side) and orders (member side); included in the logistics namespace."""

from django.urls import path

from .views import orders

urlpatterns = [
    # "livraisons/" itself is the deliveries list (urls_deliveries.py).
    path("livraisons/jours/", orders.day_list, name="day_list"),
    path("livraisons/<int:pk>/", orders.day_detail, name="day_detail"),
    path("livraisons/<int:pk>/repartir/", orders.day_allocate, name="day_allocate"),
    path("livraisons/<int:pk>/ajuster/", orders.day_adjust, name="day_adjust"),
    path("livraisons/<int:pk>/apercu/", orders.day_preview, name="day_preview"),
    path("commandes/", orders.order_list, name="order_list"),
    path("commandes/<int:pk>/", orders.order_detail, name="order_detail"),
]
