from django.contrib import admin
from django.urls import include, path

from cordee.households.views.privacy import public_policy

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cordee.api.urls")),
    path("logistique/", include("cordee.logistics.urls", namespace="logistics")),
    path("transport/", include("cordee.transport.urls", namespace="transport")),
    path("menages/", include("cordee.households.urls", namespace="households")),
    path("comptoir-mobile/", include("cordee.transport.urls_public", namespace="mobile_counter")),
    path("benevoles/", include("cordee.people.urls", namespace="people")),
    path("rapports/", include("cordee.reports.urls", namespace="reports")),
    # Law 25: the privacy policy and the person in charge, public (no sign-in).
    path("confidentialite/<slug:slug>/", public_policy, name="privacy_public"),
    path("", include("cordee.core.urls")),
]
