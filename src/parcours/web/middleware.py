"""French first: the language is the one the person chose (cookie or profile), else French —
never guessed from the browser, since Parcours' users are French-speaking."""

from django.conf import settings
from django.utils import translation


class FrenchFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if chosen not in self.available and user is not None and user.is_authenticated:
            chosen = user.language
        if chosen not in self.available:
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", chosen)
        return response
