"""Deliveries, recalls and counter distributions. Included in the `logistics` namespace
(under /logistique/) by cordee/logistics/urls.py."""

from django.urls import path

from .views import deliveries, distributions, recalls

urlpatterns = [
    path("livraisons/", deliveries.delivery_list, name="delivery_list"),
    path(
        "livraisons/jour/<int:day_id>/", deliveries.delivery_day_detail, name="delivery_day_detail"
    ),
    path(
        "livraisons/jour/<int:day_id>/bons.pdf",
        deliveries.delivery_day_notes_pdf,
        name="delivery_day_notes_pdf",
    ),
    path(
        "livraisons/jour/<int:day_id>/expedier/",
        deliveries.delivery_day_dispatch_view,
        name="delivery_day_dispatch",
    ),
    path("livraisons/envoi/<int:delivery_id>/", deliveries.delivery_detail, name="delivery_detail"),
    path(
        "livraisons/envoi/<int:delivery_id>/bon/",
        deliveries.delivery_note_print,
        name="delivery_note_print",
    ),
    path(
        "livraisons/envoi/<int:delivery_id>/bon.pdf",
        deliveries.delivery_note_pdf,
        name="delivery_note_pdf",
    ),
    path(
        "livraisons/envoi/<int:delivery_id>/reception/",
        deliveries.delivery_receive,
        name="delivery_receive",
    ),
    path("livraisons/impression.css", deliveries.print_stylesheet, name="print_css"),
    path("rappels/", recalls.recall_search, name="recall_search"),
    path("rappels/imprimer/", recalls.recall_print, name="recall_print"),
    path("rappels/rappel.pdf", recalls.recall_pdf, name="recall_pdf"),
    path("rappels/bloquer/", recalls.recall_block, name="recall_block"),
    path("distributions/", distributions.distribution_list, name="distribution_list"),
    path("distributions/nouvelle/", distributions.distribution_create, name="distribution_create"),
]
