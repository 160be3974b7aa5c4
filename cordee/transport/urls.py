"""Transport, under /transport/ (namespace `transport`)."""

from django.urls import path

from .views import driver, fleet, mobile, planning

app_name = "transport"

urlpatterns = [
    path("", planning.home, name="home"),
    path("semaine/", planning.week, name="week"),
    path("tournees/nouvelle/", planning.tour_new, name="tour_new"),
    path("tournees/<int:pk>/", planning.tour_detail, name="tour_detail"),
    path("tournees/<int:pk>/etat/", planning.tour_status, name="tour_status"),
    path("tournees/<int:pk>/optimiser/", planning.tour_optimise_view, name="tour_optimise"),
    path("tournees/<int:pk>/ajouter/", planning.tour_stops_add_view, name="tour_stops_add"),
    path("tournees/<int:pk>/cueillette/", planning.tour_pickup_add, name="tour_pickup_add"),
    path("tournees/<int:pk>/ordre/", planning.tour_stops_reorder_view, name="tour_stops_reorder"),
    path("tournees/<int:pk>/feuille-de-route/", planning.route_sheet_print, name="route_sheet"),
    path(
        "tournees/<int:pk>/feuille-de-route.pdf", planning.route_sheet_pdf, name="route_sheet_pdf"
    ),
    path("arrets/<int:pk>/<str:direction>/", planning.stop_move_view, name="stop_move"),
    path("chauffeur/", driver.driver, name="driver"),
    path("chauffeur/arret/<int:pk>/arrive/", driver.stop_arrive_view, name="stop_arrive"),
    path("chauffeur/arret/<int:pk>/termine/", driver.stop_finish_view, name="stop_finish"),
    path("vehicules/", fleet.vehicle_list, name="vehicles"),
    path("vehicules/nouveau/", fleet.vehicle_new, name="vehicle_new"),
    path("vehicules/<int:pk>/modifier/", fleet.vehicle_edit, name="vehicle_edit"),
    path("comptoir-mobile/", mobile.mobile_counter, name="mobile_counter"),
    path("comptoir-mobile/arrets/", fleet.mobile_stop_list, name="mobile_stops"),
    path("comptoir-mobile/arrets/nouveau/", fleet.mobile_stop_new, name="mobile_stop_new"),
    path(
        "comptoir-mobile/arrets/<int:pk>/modifier/",
        fleet.mobile_stop_edit,
        name="mobile_stop_edit",
    ),
    path(
        "comptoir-mobile/<int:pk>/annuler/",
        mobile.mobile_counter_cancel_view,
        name="mobile_counter_cancel",
    ),
]
