"""Top-level URL map: the admin, the REST API and the portal."""

from django.contrib import admin
from django.urls import include, path

from talentgate.api.urls import urlpatterns as api_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("talentgate.portal.urls")),
]
