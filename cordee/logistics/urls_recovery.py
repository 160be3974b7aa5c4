"""Supermarket recovery (« récupération »): included from the logistics URLs."""

from django.urls import path

from .views import recovery

urlpatterns = [
    path("recuperation/", recovery.recovery_overview, name="recovery"),
    path("recuperation/aujourdhui/", recovery.recovery_today, name="recovery_today"),
    path("recuperation/collecte/<int:pk>/", recovery.pickup_screen, name="recovery_pickup"),
    path(
        "recuperation/collecte/<int:pk>/rien/",
        recovery.pickup_nothing,
        name="recovery_pickup_nothing",
    ),
    path("recuperation/magasins/", recovery.store_list, name="recovery_stores"),
    path("recuperation/magasins/nouveau/", recovery.store_create, name="recovery_store_create"),
    path("recuperation/magasins/<int:pk>/", recovery.store_detail, name="recovery_store"),
    path(
        "recuperation/magasins/<int:pk>/modifier/",
        recovery.store_edit,
        name="recovery_store_edit",
    ),
    path(
        "recuperation/magasins/<int:pk>/horaire/",
        recovery.slot_add,
        name="recovery_slot_add",
    ),
    path(
        "recuperation/magasins/<int:pk>/horaire/<int:slot_pk>/retirer/",
        recovery.slot_remove,
        name="recovery_slot_remove",
    ),
]
