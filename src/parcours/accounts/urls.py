from django.contrib.auth import views as auth
from django.urls import path

from parcours.accounts import views
from parcours.accounts.forms import ResetForm


def page(view, name, **kw):
    """Django's auth view with our template (the admin's registration/ templates would win otherwise)."""
    return view.as_view(template_name=f"accounts/{name}.html", **kw)


urlpatterns = [
    path("compte/creer/", views.signup, name="signup"),
    path("compte/verifier/<str:uidb64>/<str:token>/", views.verify, name="account_verify"),
    path("compte/mot-de-passe/oubli/", page(auth.PasswordResetView, "password_reset_form", form_class=ResetForm),
         name="password_reset"),
    path("compte/mot-de-passe/oubli/envoye/", page(auth.PasswordResetDoneView, "password_reset_done"),
         name="password_reset_done"),
    path("compte/mot-de-passe/nouveau/fait/", page(auth.PasswordResetCompleteView, "password_reset_complete"),
         name="password_reset_complete"),
    path("compte/mot-de-passe/changer/", page(auth.PasswordChangeView, "password_change_form"), name="password_change"),
    path("compte/mot-de-passe/change/", page(auth.PasswordChangeDoneView, "password_change_done"),
         name="password_change_done"),
    # Last: its two free segments would swallow the addresses above.
    path("compte/mot-de-passe/<str:uidb64>/<str:token>/", page(auth.PasswordResetConfirmView, "password_reset_confirm"),
         name="password_reset_confirm"),
]
