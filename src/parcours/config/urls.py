from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from parcours.config.api import api
from parcours.web.views import choose_language

admin.site.site_header = "Parcours — administration"
admin.site.site_title = "Parcours"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/setlang/", choose_language, name="set_language"),
    path("", include("parcours.accounts.urls")),
    path("", include("parcours.admissions.urls")),
    path("", include("parcours.exchanges.urls")),
    path("", include("parcours.juries.urls")),
    path("", include("parcours.evaluations.urls")),
    path("", include("parcours.web.urls")),
    path("", include("parcours.jobs.urls")),
]

if settings.OIDC_ENABLED:  # staff sign-in with the institution's identity provider (accounts/oidc.py)
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
