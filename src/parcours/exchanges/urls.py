from django.urls import path

from parcours.exchanges import views

urlpatterns = [
    path("mobilite/", views.calls, name="mobility_calls"),
    path("mobilite/appels/<int:pk>/", views.call_detail, name="call_detail"),
    path("mobilite/appels/<int:pk>/candidater/", views.apply, name="call_apply"),
    path("mobilite/candidatures/<int:pk>/", views.candidature_detail, name="candidature_detail"),
    path("mobilite/candidatures/<int:pk>/action/", views.candidature_action, name="candidature_action"),
]
