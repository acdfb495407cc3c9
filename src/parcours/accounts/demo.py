"""Demo and generated accounts: one password hash shared by every demo login.

The demo logins all share one public password (``web.demo_data.PASSWORD``); hashing it again for each of the ~90
demo accounts cost about 0.15 s of argon2 apiece — most of the fixed cost of ``seed_demo`` and
``generate_population``. The hash is made once per process and password, and stored on every demo account: each
still logs in with that password, and a real account (``set_password``) keeps its own salt.
"""

from functools import cache

from django.contrib.auth.hashers import make_password


@cache
def _hash(password: str) -> str:
    return make_password(password)


def set_demo_password(user, password: str) -> None:
    """``user.set_password(password)`` for a demo account, with the process's one hash of that password."""
    user.password = _hash(password)
