from django.urls import path

from parcours.evaluations import student_views, views

urlpatterns = [
    path("evaluations/", views.index, name="evaluations_index"),
    path("evaluations/feuilles/<int:pk>/", views.sheet, name="evaluation_sheet"),
    path("evaluations/feuilles/<int:pk>/notes/", views.sheet_save, name="evaluation_sheet_save"),
    path("evaluations/feuilles/<int:pk>/notes.xlsx", views.sheet_export, name="evaluation_sheet_xlsx"),
    path("evaluations/feuilles/<int:pk>/import/", views.sheet_import, name="evaluation_sheet_import"),
    path("evaluations/feuilles/<int:pk>/feuille.pdf", views.sheet_pdf, name="evaluation_sheet_pdf"),
    path("evaluations/feuilles/<int:pk>/action/", views.sheet_action, name="evaluation_sheet_action"),
    path("evaluations/feuilles/<int:pk>/art83/<int:student_pk>/", views.sheet_attempt, name="evaluation_sheet_attempt"),
    path("evaluations/choix/", views.retake_choice, name="evaluation_retake_choice"),
    path("evaluations/progression/", views.progress, name="evaluation_progress"),
    path("evaluations/horaire/", views.timetable, name="evaluation_timetable"),
    path("evaluations/absences/", student_views.absence_queue, name="absence_queue"),
    path("evaluations/absences/declarer/", student_views.absence_declare, name="absence_declare"),
    path("evaluations/absences/<int:pk>/", student_views.absence_detail, name="absence_detail"),
    path("evaluations/absences/<int:pk>/justificatif/", student_views.absence_proof, name="absence_proof"),
    path("evaluations/resultats/", student_views.results, name="evaluation_results"),
    path("evaluations/resultats/releve.pdf", student_views.releve, name="evaluation_releve"),
    path("evaluations/etudiants/<int:student_pk>/releve.pdf", student_views.releve, name="evaluation_releve_for"),
    path("evaluations/procurations/", student_views.procurations, name="evaluation_procurations"),
    path("evaluations/calendrier/<str:token>.ics", student_views.ics_feed, name="evaluation_ics"),
]
