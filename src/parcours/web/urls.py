from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from parcours.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True,
                                                    extra_context={"oidc_enabled": settings.OIDC_ENABLED}),
         name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/historique/", views.dossier_history, name="dossier_history"),
    path("pieces/<int:pk>/deposer/", views.slot_upload, name="slot_upload"),
    path("pieces/<int:pk>/verifier/", views.slot_review, name="slot_review"),
    path("pieces/<int:pk>/fichier/", views.slot_file, name="slot_file"),
    path("etudiants/<int:pk>/", views.student_detail, name="student_detail"),
    path("inscriptions/<int:pk>/attestation.pdf", views.attestation, name="attestation"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/lues/", views.notifications_read, name="notifications_read"),
]
