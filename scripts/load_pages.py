"""Pages under concurrent load, on the production server (`make serve`: gunicorn on settings_prod, whitenoise).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcours_bench .venv/bin/python scripts/load_pages.py [--seconds 8] [--port 8130]

The database (20 000 generated students) is created, migrated and generated when missing (``scripts/benchdb.py``).

Starts gunicorn itself (2 × cores + 1 sync workers, settings_prod, plain HTTP on 127.0.0.1), opens logged-in
sessions directly in the session store (no password hashing), then, for a bounded time each:
  - 50 concurrent student sessions on a bare logged-in view (``/api/me``: the session, the user, a few lines of
    JSON), on a page with the site's layout and little else (the notifications list), then on the student home;
  - 10 concurrent staff sessions on the bare view, then on the staff pages (work queue, list, search, a file).
Prints p50/p95/p99 of each, and the figure lines ``student home p95`` (floor: the bare view's p95, same run)
and ``staff pages req/s`` (floor: the bare view's req/s; the ratio is how many times slower, target ≤ 10).
The load generator runs on the same machine, so it should cost the server as little as possible: it is ``wrk``
(``apt-get install wrk``) driven by ``scripts/load_pages.lua`` (per-request rotation over the session cookies;
p50/p95/p99 from wrk's latency histogram). Without wrk, a Python-thread client stands in, with a warning: it eats
part of the two cores the server needs, so its figures are pessimistic (the floor absorbs some of it, not all).
"""

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sessions(count_students: int, count_staff: int) -> tuple[list[str], list[str], list[int]]:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.config.settings")
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806  (where the server reads them)

    from parcours.accounts.models import User
    from parcours.accounts.permissions import students_visible_to

    def open_session(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    students = list(User.objects.filter(email__startswith="pop").order_by("?")[:count_students])
    staff_user = User.objects.get(email="secretariat@demo.helha.be")
    visible = list(students_visible_to(staff_user).values_list("pk", flat=True)[:50])
    return [open_session(u) for u in students], [open_session(staff_user) for _ in range(count_staff)], visible


LUA = ROOT / "scripts" / "load_pages.lua"


def load_wrk(port: int, keys: list[str], urls: list[str], seconds: float) -> dict:
    """One wrk run: one connection per session, two threads; the Lua script rotates the cookies per request."""
    command = ["wrk", f"-t{min(2, len(keys))}", f"-c{len(keys)}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
               "-s", str(LUA), f"http://127.0.0.1:{port}", "--", ",".join(keys), ",".join(urls)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"^RESULT (.*)$", out, re.M)
    if not found:
        raise RuntimeError(f"wrk n'a pas donné de résultat :\n{out}")
    r = {k: float(v) for k, v in (item.split("=") for item in found.group(1).split())}
    ok = r["requests"] - r["non200"]
    return {"rps": ok / r["seconds"], "p50": r["p50"], "p95": r["p95"], "p99": r["p99"],
            "errors": int(r["non200"] + r["socket_errors"])}


def load_python(port: int, keys: list[str], urls: list[str], seconds: float) -> dict:
    """Without wrk: each session is a thread requesting until the time is up (gunicorn's sync workers close each connection;
    http.client reopens it)."""
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def run(key: str, seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            url = rng.choice(urls)
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Cookie": f"sessionid={key}", "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(k, i)) for i, k in enumerate(keys)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"rps": len(latencies) / seconds, "p50": pct(latencies, .5), "p95": pct(latencies, .95),
            "p99": pct(latencies, .99), "errors": errors[0]}


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8, help="per phase (five phases)")
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--staff", type=int, default=10)
    args = parser.parse_args()
    import benchdb

    if shutil.which("wrk"):
        load = load_wrk
    else:
        print("wrk est absent (apt-get install wrk) : client Python à la place — il prend sa part des deux cœurs du "
              "serveur, chiffres pessimistes", file=sys.stderr)
        load = load_python
    benchdb.ensure(os.environ.get("DATABASE_URL", ""), 20000)
    # The sessions are signed with the server's key: the same secret in this process and in gunicorn's.
    os.environ.setdefault("DJANGO_SECRET_KEY", "load-test-only-" + "x" * 40)
    student_keys, staff_keys, visible = sessions(args.students, args.staff)
    workers = 2 * (os.cpu_count() or 1) + 1
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parcours.config.settings_prod", "PARCOURS_SSL_REDIRECT": "0",
           "PARCOURS_ALLOWED_HOSTS": "127.0.0.1"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "parcours.config.wsgi:application",
                               "--pythonpath", str(ROOT / "src"), "--bind", f"127.0.0.1:{args.port}", "--workers", str(workers), "--log-level", "warning"],
                              cwd=ROOT, env=env)
    try:
        for _ in range(300):  # wait for a worker to answer (the socket is open before the workers are booted)
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                conn.request("GET", "/connexion/")
                if conn.getresponse().status == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        # Warm every worker (URLs, templates, catalogues, connections) before measuring: the Python client waits for
        # its last answers, then every session once through the measuring client.
        load_python(args.port, student_keys[:workers], ["/", "/notifications/", "/api/me"], 3)
        load(args.port, student_keys, ["/", "/notifications/", "/api/me"], 2)
        client = "wrk" if load is load_wrk else "client Python"
        print(f"gunicorn, {workers} workers, settings_prod ; {args.seconds:.0f} s par phase ; {client}")
        results = {}
        staff_urls = ["/", "/?page=2", "/?spage=3", "/?q=Dupont"] + [f"/etudiants/{pk}/" for pk in visible[:10]]
        bare = ["/api/me"]
        for name, keys, urls in [("bare50", student_keys, bare), ("layout50", student_keys, ["/notifications/"]),
                                 ("home50", student_keys, ["/"]), ("bare10", staff_keys, bare),
                                 ("staff10", staff_keys, staff_urls)]:
            r = results[name] = load(args.port, keys, urls, args.seconds)
            print(f"{name:8s} {len(keys):3d} sessions : {r['rps']:7.1f} req/s, p50 {r['p50']:6.1f} ms, "
                  f"p95 {r['p95']:6.1f} ms, p99 {r['p99']:6.1f} ms, {r['errors']} erreur(s)")
    finally:
        server.terminate()
        try:
            server.wait(30)  # gunicorn lets its workers finish their requests
        except subprocess.TimeoutExpired:
            server.kill()
    home, bare = results["home50"]["p95"], results["bare50"]["p95"]
    print(f"student home p95: {home:.0f} ms (floor {bare:.0f} ms, ratio {home / bare:.2f})")
    staff, floor = results["staff10"]["rps"] or float("nan"), results["bare10"]["rps"]
    print(f"staff pages req/s: {staff:.1f} req/s (floor {floor:.1f} req/s, ratio {floor / staff:.2f})")


if __name__ == "__main__":
    main()
