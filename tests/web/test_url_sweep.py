"""Every page of the site, asked for an unknown or absurd id by a student and by staff: a 4xx, never a 5xx."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ODD_IDS = ["999999", str(2**70)]


def routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "api/")):
                continue
            yield from routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.pattern.converters:
            yield prefix + str(entry.pattern), entry.pattern.converters


def fill(route: str, converters: dict, odd: str) -> str:
    for name, conv in converters.items():
        value = odd if type(conv).__name__ == "IntConverter" else "x"
        route = re.sub(rf"<(?:\w+:)?{name}>", value, route)
    return "/" + route


@pytest.mark.parametrize("persona", ["etudiant", "secretariat", "college_direction"])
def test_unknown_ids_everywhere_are_4xx(client, world, persona):
    client.force_login(world.users[persona])
    checked = 0
    for route, converters in routes():
        for odd in ODD_IDS:
            url = fill(route, converters, odd)
            assert "<" not in url, url
            for method in (client.get, client.post):
                status = method(url).status_code
                assert status < 500, (url, method.__name__, status)
                checked += 1
    assert checked > 40
