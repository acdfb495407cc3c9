from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import User


class SignupForm(forms.Form):
    """A person applying for the first time: who they are and a password; the address is verified by e-mail."""

    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=_("Au moins 12 caractères, pas seulement des chiffres."))
    password2 = forms.CharField(label=_("Mot de passe (confirmation)"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif p1:
            candidate = User(email=data.get("email", ""), first_name=data.get("first_name", ""),
                             last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ResetForm(PasswordResetForm):
    """Django's password reset, its e-mail sent by the one e-mail sender (notifications/)."""

    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from parcours.notifications.services import send_email

        user = context["user"]
        send_email(to=to_email, template="password_reset", language=user.language,
                   context={"user": user, "url": f"{context['protocol']}://{context['domain']}"
                            f"/compte/mot-de-passe/{context['uid']}/{context['token']}/"})
