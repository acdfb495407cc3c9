from django.contrib.auth import views as auth
from django.urls import path
from django.utils.translation import gettext_lazy as _

from parcours.accounts import views
from parcours.accounts.forms import ResetForm


def form_page(view, title, intro, button, **kw):
    """Django's auth view in our page (the admin's registration/ templates would win otherwise)."""
    return view.as_view(template_name="accounts/form_page.html",
                        extra_context={"title": title, "intro": intro, "button": button}, **kw)


def message_page(view, title, intro):
    return view.as_view(template_name="accounts/message_page.html", extra_context={"title": title, "intro": intro})


urlpatterns = [
    path("compte/creer/", views.signup, name="signup"),
    path("compte/verifier/<str:uidb64>/<str:token>/", views.verify, name="account_verify"),
    path("compte/mot-de-passe/oubli/", form_page(
        auth.PasswordResetView, _("Mot de passe oublié"),
        _("Indiquez l'adresse e-mail de votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe."),
        _("Envoyer le lien"), form_class=ResetForm), name="password_reset"),
    path("compte/mot-de-passe/oubli/envoye/", message_page(
        auth.PasswordResetDoneView, _("Lien envoyé"),
        _("Si un compte existe pour cette adresse, un message vient de lui être envoyé avec un lien pour choisir un "
          "nouveau mot de passe.")), name="password_reset_done"),
    path("compte/mot-de-passe/nouveau/fait/", message_page(
        auth.PasswordResetCompleteView, _("Mot de passe enregistré"),
        _("Votre nouveau mot de passe est enregistré. Vous pouvez vous connecter.")), name="password_reset_complete"),
    path("compte/mot-de-passe/changer/", form_page(
        auth.PasswordChangeView, _("Changer de mot de passe"), _("Indiquez votre mot de passe actuel puis le nouveau."),
        _("Changer le mot de passe")), name="password_change"),
    path("compte/mot-de-passe/change/", message_page(
        auth.PasswordChangeDoneView, _("Mot de passe changé"), _("Votre mot de passe a été changé.")),
        name="password_change_done"),
    # Last: its two free segments would swallow the addresses above.
    path("compte/mot-de-passe/<str:uidb64>/<str:token>/", form_page(
        auth.PasswordResetConfirmView, _("Nouveau mot de passe"), _("Choisissez votre nouveau mot de passe."),
        _("Enregistrer")), name="password_reset_confirm"),
]
