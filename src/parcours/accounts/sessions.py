"""The sessions cache (settings: SESSION_ENGINE, sessions read through a cache in front of their table)."""

from django.conf import settings
from django.core.cache import caches


def forget_cached_sessions(**signal_kwargs) -> None:
    """Empty the cache: each session is read from its table again. Done when the table may no longer hold what the
    cache does — a database migrated (perhaps a new one, whose users reuse the old ids) or restored — so that no
    session the table lacks is served from the cache."""
    caches[settings.SESSION_CACHE_ALIAS].clear()
