"""The mobile counter's public page and iCal feed, under /comptoir-mobile/ (no sign-in)."""

from django.urls import path

from .views import mobile

app_name = "mobile_counter"

urlpatterns = [
    path("<slug:slug>/", mobile.public_page, name="public"),
    path("<slug:slug>.ics", mobile.public_feed, name="feed"),
]
