"""Volunteers and shifts, under /benevoles/ (namespace `people`)."""

from django.urls import path

from .views import coordinator, public, volunteer

app_name = "people"

urlpatterns = [
    path("", coordinator.home, name="dashboard"),
    path("semaine/", coordinator.week, name="week"),
    path("semaine/creer/", coordinator.generate, name="generate"),
    path("quarts-reguliers/nouveau/", coordinator.template_new, name="template_new"),
    path("quarts/<int:pk>/", coordinator.shift_detail, name="shift"),
    path("liste/", coordinator.volunteers, name="volunteers"),
    path("liste/nouveau/", coordinator.volunteer_new, name="volunteer_new"),
    path("liste/<int:pk>/", coordinator.volunteer_edit, name="volunteer_edit"),
    path(
        "liste/<int:pk>/certification/",
        coordinator.certification_new,
        name="certification_new",
    ),
    path("mes-quarts/", volunteer.my_shifts, name="my_shifts"),
    path("mes-quarts/<int:pk>/inscrire/", volunteer.sign_up, name="sign_up"),
    path("inscriptions/<int:pk>/annuler/", volunteer.cancel, name="cancel"),
    path("annuler/<str:token>/", public.cancel_by_token, name="cancel_by_token"),
    path("calendrier/<str:token>.ics", public.calendar_feed, name="calendar"),
]
