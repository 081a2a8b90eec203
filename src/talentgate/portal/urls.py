"""Portal URLs (placeholder until the portal skeleton lands)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "portal"


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("talentgate")


urlpatterns = [path("", home, name="home"), path("login/", home, name="login")]
