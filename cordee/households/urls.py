from django.urls import path

from .views import checkin, households

app_name = "households"

urlpatterns = [
    path("", checkin.checkin, name="checkin"),
    path("nouveau/", checkin.household_new, name="new"),
    path("<int:pk>/", households.household_detail, name="detail"),
    path("<int:pk>/visite/", checkin.visit_record, name="visit_record"),
    path("<int:pk>/carte/", households.household_card, name="card"),
    path("<int:pk>/consentements/", households.consent_add, name="consent_add"),
    path(
        "<int:pk>/consentements/<int:consent_pk>/retrait/",
        households.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("visites/<int:pk>/annuler/", checkin.visit_cancel, name="visit_cancel"),
]
