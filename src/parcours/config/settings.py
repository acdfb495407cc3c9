"""Parcours settings: SQLite under data/ by default, PostgreSQL when DATABASE_URL is set.

Development defaults live here; ``settings_prod`` hardens them for deployment.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(os.environ.get("PARCOURS_DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-for-any-real-deployment")
DEBUG = os.environ.get("PARCOURS_DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("PARCOURS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "ninja",  # Swagger UI and its assets from our own static files, never a CDN
    "parcours.accounts",
    "parcours.institutions",
    "parcours.students",
    "parcours.dossiers",
    "parcours.admissions",
    "parcours.exchanges",
    "parcours.evaluations",
    "parcours.audit",
    "parcours.notifications",
    "parcours.documents",
    "parcours.juries",
    "parcours.web",
    "django_tasks",
    "django_tasks_db",
    "parcours.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "parcours.web.middleware.FrenchFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "parcours.web.safety.InputGuardMiddleware",
    "parcours.web.safety.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "parcours.config.urls"
WSGI_APPLICATION = "parcours.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parcours.web.context.navigation",
            ],
            # {{ r|reason_text }} in every template, e-mail and PDF: the regulation's reasons in the reader's language;
            # long_date: "1er février" everywhere
            "builtins": ["parcours.web.templatetags.reasons", "parcours.web.templatetags.dates"],
        },
    },
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The rendered bodies of student homes (parcours.web.student_home), shared by the server's processes: their keys
    # hold a fingerprint of the rows they show, so nothing is invalidated (each machine may keep its own); an hour.
    "student_home": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                     "LOCATION": DATA_DIR / "cache" / "student-home", "TIMEOUT": 3600,
                     "OPTIONS": {"MAX_ENTRIES": 5000}},
    # Sessions read on every request (below): a file per session, shared by the server's processes on one machine.
    # Room for every session of a busy day (a fuller cache drops a third of its files, read again from the table).
    "sessions": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": DATA_DIR / "cache" / "sessions", "OPTIONS": {"MAX_ENTRIES": 50_000}},
}

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'parcours.sqlite3'}",
        conn_max_age=int(os.environ.get("PARCOURS_CONN_MAX_AGE", "0")), conn_health_checks=True
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Lock-out is per (e-mail, client address): a stranger's failures lock only their own address, never the
# account's owner. Behind the reverse proxy the client address comes from X-Forwarded-For, trusting exactly
# PARCOURS_TRUSTED_PROXIES hops (0 in development: the direct address).
PARCOURS_TRUSTED_PROXIES = int(os.environ.get("PARCOURS_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "parcours.accounts.throttle.client_ip"
AXES_USERNAME_CALLABLE = "parcours.accounts.throttle.username"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
# The regulation layer is not a Django app: its catalogue (reasons and errors of the rules) is listed here.
LOCALE_PATHS = [BASE_DIR / "src" / "parcours" / "locale", BASE_DIR / "src" / "parcours" / "regulation" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

# Uploaded documents: outside any web root, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = DATA_DIR / "uploads"
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The whole request is refused beyond this, before its body is read (web/safety.py); the reverse proxy caps
# it too (client_max_body_size, see README). A little above the largest upload for the form around it.
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
# No free text a person types is longer (a motivation, the facts of a fraud, a refusal reason).
TEXT_MAX_CHARS = 10_000

EMAIL_BACKEND = os.environ.get("PARCOURS_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mails"
DEFAULT_FROM_EMAIL = "Parcours HELHa <parcours@helha.be>"

ACADEMIC_YEAR = os.environ.get("PARCOURS_ACADEMIC_YEAR", "2023-2024")
# The regulation's "today": a demo of the 2023-2024 year runs on a date inside it.
PARCOURS_TODAY = os.environ.get("PARCOURS_TODAY", "2023-10-16")
# The address people reach Parcours at: every link in an e-mail is absolute (a mail client has no "current site").
PARCOURS_SITE_URL = os.environ.get("PARCOURS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The institution's account for registration fees (art. 47), checked with schwifty at start-up (admissions.checks).
PARCOURS_BENEFICIARY = os.environ.get("PARCOURS_BENEFICIARY", "HELHa - Haute Ecole Louvain en Hainaut")
PARCOURS_IBAN = os.environ.get("PARCOURS_IBAN", "BE71 0961 2345 6769")
PARCOURS_BIC = os.environ.get("PARCOURS_BIC", "GKCCBEBB")
# A bank line above this is a typing or file error, not a registration fee (the highest annexe-2 total with the
# non-EU specific fees stays well below it).
PARCOURS_PAYMENT_MAX = os.environ.get("PARCOURS_PAYMENT_MAX", "10000.00")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (parcours.jobs): Django's Tasks framework, stored in the database and run by `manage.py worker`.
TASKS = {"default": {"BACKEND": os.environ.get("PARCOURS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
SESSION_COOKIE_AGE = 8 * 3600
# Sessions live in the database and are read through the "sessions" cache: a request reads a file instead of
# querying the session table (issue 13: one round trip fewer on every page). A logout deletes both, for every
# process of this machine; a changed password or a closed account still ends the other sessions at their next
# request (the user is read on each). Serving from several machines needs a cache they share, or
# PARCOURS_SESSION_CACHE=database (the table alone): a session closed on one machine would otherwise stay open on
# another until it expires.
SESSION_ENGINES = {"file": "django.contrib.sessions.backends.cached_db", "database": "django.contrib.sessions.backends.db"}
SESSION_ENGINE = SESSION_ENGINES.get(os.environ.get("PARCOURS_SESSION_CACHE", "file"), "")
if not SESSION_ENGINE:
    raise ImproperlyConfigured("PARCOURS_SESSION_CACHE : « file » (par défaut) ou « database ».")
SESSION_CACHE_ALIAS = "sessions"

# Every server error is logged with its traceback (on stderr, for the service manager's journal) and mailed to
# the ADMINS when PARCOURS_ADMINS lists them: "Nom <adresse>, autre@exemple.be".
ADMINS = [(a.split("<")[0].strip() or a.strip(), a.split("<")[-1].rstrip(">").strip())
          for a in os.environ.get("PARCOURS_ADMINS", "").split(",") if a.strip()]
SERVER_EMAIL = os.environ.get("PARCOURS_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"]},
    },
    "loggers": {
        "parcours": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
    },
}

# Content-Security-Policy on every page (web/safety.py): our own scripts only, no inline script, no framing.
# Inline styles stay allowed for the style="" attributes of the templates and Swagger UI.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
                           "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

# Staff sign-in with the institution's identity provider by OpenID Connect (mozilla-django-oidc), off unless
# configured. For Microsoft 365 (Entra ID) set PARCOURS_OIDC_CLIENT_ID, PARCOURS_OIDC_CLIENT_SECRET and
# PARCOURS_OIDC_TENANT; another provider sets the four PARCOURS_OIDC_*_ENDPOINT variables. See README.
OIDC_RP_CLIENT_ID = os.environ.get("PARCOURS_OIDC_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    _tenant = os.environ.get("PARCOURS_OIDC_TENANT", "organizations")
    _entra = f"https://login.microsoftonline.com/{_tenant}"
    OIDC_RP_CLIENT_SECRET = os.environ["PARCOURS_OIDC_CLIENT_SECRET"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("PARCOURS_OIDC_AUTHORIZATION_ENDPOINT",
                                                    f"{_entra}/oauth2/v2.0/authorize")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("PARCOURS_OIDC_TOKEN_ENDPOINT", f"{_entra}/oauth2/v2.0/token")
    OIDC_OP_USER_ENDPOINT = os.environ.get("PARCOURS_OIDC_USER_ENDPOINT", "https://graph.microsoft.com/oidc/userinfo")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("PARCOURS_OIDC_JWKS_ENDPOINT", f"{_entra}/discovery/v2.0/keys")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False
    LOGIN_REDIRECT_URL_FAILURE = "/connexion/?oidc=refus"
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "parcours.accounts.oidc.StaffOIDCBackend"]
