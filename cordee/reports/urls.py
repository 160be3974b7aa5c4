from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.organisation_report, name="organisation"),
    path("reseau/<int:pk>/", views.network_report, name="network"),
    path("gotoucan/", views.gotoucan_export, name="gotoucan"),
]
