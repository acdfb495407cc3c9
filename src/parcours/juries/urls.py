from django.urls import path

from parcours.juries import views

app_name = "juries"
urlpatterns = [
    path("jurys/", views.jury_list, name="list"),
    path("jurys/nouveau/", views.jury_create, name="create"),
    path("jurys/<int:pk>/", views.jury_detail, name="jury"),
    path("jurys/<int:pk>/composition/", views.jury_composition, name="composition"),
    path("jurys/<int:pk>/seances/", views.session_create, name="session_create"),
    path("jurys/<int:pk>/liens/", views.relationship_declare, name="relationship"),
    path("jurys/seances/<int:pk>/", views.session_detail, name="session"),
    path("jurys/seances/<int:pk>/ouvrir/", views.session_open, name="session_open"),
    path("jurys/seances/<int:pk>/presences/", views.session_attendance, name="session_attendance"),
    path("jurys/seances/<int:pk>/cloturer/", views.session_close, name="session_close"),
    path("jurys/seances/<int:pk>/rouvrir/", views.session_reopen, name="session_reopen"),
    path("jurys/seances/<int:pk>/publier/", views.session_publish, name="session_publish"),
    path("jurys/seances/<int:pk>/documents/", views.session_documents, name="session_documents"),
    path("jurys/seances/<int:pk>/pv.pdf", views.session_pv, name="session_pv"),
    path("jurys/seances/<int:pk>/valves.pdf", views.session_valves, name="session_valves"),
    path("jurys/seances/<int:pk>/etudiants/<int:student_id>/", views.session_student, name="session_student"),
    path("jurys/seances/<int:pk>/etudiants/<int:student_id>/octroi/", views.grant, name="grant"),
    path("jurys/seances/<int:pk>/etudiants/<int:student_id>/mention/", views.mention_raise, name="mention_raise"),
    path("jurys/seances/<int:pk>/etudiants/<int:student_id>/mention/retirer/", views.mention_withdraw,
         name="mention_withdraw"),
    path("jurys/seances/<int:pk>/octrois/<int:grant_id>/retirer/", views.grant_withdraw, name="grant_withdraw"),
    path("mes-resultats/", views.my_results, name="my_results"),
    path("decisions/<int:pk>/<str:kind>.pdf", views.decision_document, name="document"),
    path("decisions/<int:pk>/diplome-delivre/", views.diploma_issued, name="diploma_issued"),
]
