"""Who is throttled by django-axes: the client's address as the reverse proxy saw it, and the e-mail in lower case.

Behind the production proxy every request comes from the proxy's address: locking on it would let anyone lock
anyone's account. The proxy appends the real client to X-Forwarded-For; with ``PARCOURS_TRUSTED_PROXIES`` proxies
in front, the client is the entry that many places from the right — entries further left were written by the
client itself and are never trusted."""

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = getattr(settings, "PARCOURS_TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return chain[-proxies] if len(chain) >= proxies else remote


def username(request, credentials) -> str:
    """The e-mail as typed, in lower case: `Etudiant@…` and `etudiant@…` are one account and one counter."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or request.POST.get(
        settings.AXES_USERNAME_FORM_FIELD, "")
    return value.strip().lower()
