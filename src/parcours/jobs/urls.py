from django.urls import path

from parcours.jobs import views

urlpatterns = [
    path("travaux/", views.job_list, name="job_list"),
    path("travaux/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("travaux/<uuid:pk>/fichier/", views.job_file, name="job_file"),
    path("travaux/passage-quotidien/", views.start_daily, name="job_start_daily"),
    path("travaux/attestations/", views.start_attestations, name="job_start_attestations"),
]
