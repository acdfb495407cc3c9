"""Production settings: `DJANGO_SECRET_KEY`, `PARCOURS_ALLOWED_HOSTS` and `DATABASE_URL` come
from the environment; `manage.py check --deploy` is clean with them."""

import os

from parcours.config.settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("PARCOURS_CONN_MAX_AGE", "60"))  # noqa: F405
EMAIL_BACKEND = os.environ.get("PARCOURS_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The production reverse proxy (one hop) appends the client to X-Forwarded-For: see accounts/throttle.py.
PARCOURS_TRUSTED_PROXIES = int(os.environ.get("PARCOURS_TRUSTED_PROXIES", "1"))
