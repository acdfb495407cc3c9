"""No input, however odd, gives a 500: the request is bounded before a view reads it, and what still escapes
a view as a database or arithmetic limit becomes a French 4xx page — logged with its traceback for us."""

import logging
import re

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DataError, IntegrityError
from django.http import Http404
from django.shortcuts import render

logger = logging.getLogger("parcours.safety")

# NUL and the C0 control characters other than tab, line feed and carriage return: PostgreSQL refuses NUL in
# text, and none of them is typed by a person.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _refuse(request, status: int, title: str, message: str):
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


class InputGuardMiddleware:
    """Caps the request size (a little above the largest upload), and refuses control characters and texts
    longer than any free-text field in a query string or a form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return _refuse(request, 413, "Envoi trop volumineux",
                           f"L'envoi dépasse {settings.REQUEST_MAX_BYTES // (1024 * 1024)} Mo : un document "
                           f"déposé ne peut dépasser {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} Mo.")
        problem = self._problem(request.GET)
        if problem is None and request.method == "POST" and not request.path.startswith("/api/"):
            problem = self._problem(request.POST)
        if problem:
            return _refuse(request, 400, "Données refusées", problem)
        return self.get_response(request)

    @staticmethod
    def _problem(data) -> str | None:
        for key, values in data.lists():
            for value in [key, *values]:
                if CONTROL.search(value):
                    return "Un champ contient un caractère de contrôle (par exemple NUL) : retapez le texte."
                if len(value) > settings.TEXT_MAX_CHARS:
                    return f"Un texte dépasse {settings.TEXT_MAX_CHARS} caractères : raccourcissez-le."
        return None

    def process_exception(self, request, exception):
        """The last line of defence: what a view did not bound itself still gets an answer, never a 500."""
        if isinstance(exception, ObjectDoesNotExist):  # an unknown id reached a service's .get()
            raise Http404 from exception
        if isinstance(exception, DataError | OverflowError):
            logger.warning("Valeur hors limites sur %s", request.path, exc_info=exception)
            return _refuse(request, 400, "Valeur hors limites",
                           "Une valeur saisie dépasse ce que le champ peut contenir (nombre trop grand, texte trop "
                           "long ou date impossible). Rien n'a été enregistré : corrigez et recommencez.")
        if isinstance(exception, IntegrityError):
            logger.warning("Conflit d'écriture sur %s", request.path, exc_info=exception)
            return _refuse(request, 409, "Déjà enregistré",
                           "Cette opération vient d'être enregistrée (double envoi) ou les données ont changé "
                           "entre-temps. Rien n'a été enregistré en double : rechargez la page.")
        return None


class ContentSecurityPolicyMiddleware:
    """Browsers run only the scripts Parcours serves itself: an injected <script> or inline handler does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


BIGINT_MAX = 2**63 - 1  # the largest primary key any database here stores


def int_ids(values) -> list[int]:
    """The ids a form posted (checkboxes): digits only, within a database integer; anything else is ignored."""
    return [int(v) for v in values if v.isdigit() and len(v) < 20 and int(v) <= BIGINT_MAX]
