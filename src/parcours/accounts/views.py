"""Opening an account (with e-mail verification), and Django's password views under French addresses."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext

from parcours.accounts import services
from parcours.accounts.forms import SignupForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        site = getattr(settings, "PARCOURS_SITE_URL", "") or request.build_absolute_uri("/").rstrip("/")
        services.open_account(email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
                              password=data["password1"], site_url=site.rstrip("/"),
                              language=translation.get_language() or "fr")
        return render(request, "accounts/signup_sent.html", {"email": data["email"]})
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


def verify(request, uidb64, token):
    user = services.verify_account(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/verify_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, gettext("Adresse vérifiée : votre compte est ouvert. Vous pouvez introduire votre demande."))
    return redirect("new_request")
