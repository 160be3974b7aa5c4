from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cordee.api.urls")),
    path("logistique/", include("cordee.logistics.urls", namespace="logistics")),
    path("transport/", include("cordee.transport.urls", namespace="transport")),
    path("menages/", include("cordee.households.urls", namespace="households")),
    path("comptoir-mobile/", include("cordee.transport.urls_public", namespace="mobile_counter")),
    path("benevoles/", include("cordee.people.urls", namespace="people")),
    path("", include("cordee.core.urls")),
]
