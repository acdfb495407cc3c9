from django.urls import path

from parcours.exchanges import file_views, views

urlpatterns = [
    path("mobilite/", views.calls, name="mobility_calls"),
    path("mobilite/appels/nouveau/", views.call_new, name="call_new"),
    path("mobilite/appels/<int:pk>/", views.call_detail, name="call_detail"),
    path("mobilite/appels/<int:pk>/candidater/", views.apply, name="call_apply"),
    path("mobilite/candidatures/<int:pk>/", views.candidature_detail, name="candidature_detail"),
    path("mobilite/candidatures/<int:pk>/action/", views.candidature_action, name="candidature_action"),
    path("mobilite/candidatures/<int:pk>/dossier/", views.open_file, name="mobility_file_open"),
    path("mobilite/dossiers/<int:pk>/", file_views.file_detail, name="mobility_file"),
    path("mobilite/dossiers/<int:pk>/action/", file_views.file_action, name="mobility_file_action"),
    path("mobilite/dossiers/<int:pk>/omobility-las.xml", file_views.ewp_export, name="mobility_file_ewp"),
    path("mobilite/appels/<int:pk>/export.<str:fmt>", views.export, name="call_export"),
    path("mobilite/appels/<int:pk>/message/", views.message, name="call_message"),
    path("mobilite/candidatures/<int:pk>/<str:kind>.pdf", file_views.document_pdf, name="candidature_pdf"),
    path("mobilite/dossiers/<int:pk>/<str:kind>.pdf", file_views.document_pdf, name="file_pdf"),
]
