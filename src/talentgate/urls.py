"""Top-level URL map: the admin, the REST API and the portal."""

from django.contrib import admin
from django.urls import include, path

from talentgate.api.urls import urlpatterns as api_urlpatterns
from talentgate.ops.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health", health, name="health"),
    path("oidc/", include("talentgate.ops.sso")),
    path("", include("talentgate.portal.urls")),
]
