"""A one-use token in each form that creates something: a retried POST of the same form (double click, reload,
a network retry) leads to what the first one created instead of creating it again.

The database guards concurrency (row lock, unique constraint); the token gives the person the right page."""

import secrets

SESSION_KEY = "form_results"
KEPT = 20  # the last forms of this session whose result we remember


def new_token() -> str:
    return secrets.token_urlsafe(16)


def replayed(request) -> str | None:
    """The URL of what this form already created, when its token was used before in this session."""
    token = request.POST.get("form_token", "")
    return request.session.get(SESSION_KEY, {}).get(token) if token else None


def remember(request, url: str) -> None:
    token = request.POST.get("form_token", "")
    if not token or len(token) > 64:
        return
    results = dict(request.session.get(SESSION_KEY, {}))
    results[token] = url
    request.session[SESSION_KEY] = dict(list(results.items())[-KEPT:])
