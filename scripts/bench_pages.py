"""Staff work queues and the student home on institution-sized populations, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcours_bench .venv/bin/python scripts/bench_pages.py [--runs 21]

Measures three databases: ``<DATABASE_URL>_2k``, ``<DATABASE_URL>`` (20k) and ``<DATABASE_URL>_40k`` — or the ones
given with ``--db 2k=URL --db 20k=URL --db 40k=URL`` (the label says the size). Each is created, migrated and
generated when missing (``scripts/benchdb.py``: the 40k one takes a quarter of an hour on two cores, once).

Each database is measured in its own process (VACUUM ANALYZE first), in-process through Django's test client: the
median time and SQL count of each page, and of a bare logged-in page (the notifications list) as the floor of
the same run. The databases take turns request by request (the page on 2k, on 20k, on 40k, the next page…), so that
the machine's drift over the minutes a run lasts falls on every size alike. Ends with the figure lines
``queue page 20k`` (floor: the bare page) and ``queue page 40k`` (floor: the 20k queue page; target ratio ≤ 1.3).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [("queue", "file de travail, page 1", "/"), ("queue40", "file de travail, page 40", "/?page=40"),
         ("list", "liste des étudiants, page 20", "/?spage=20"), ("search", "recherche « Dupont »", "/?q=Dupont")]


def serve_here(vacuum: bool = True) -> None:
    """One database's side of the measure: answers the parent's requests one at a time, on stdin and stdout — a URL
    (and whether to log in as the student) in, the time and SQL count of one request out."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.config.settings")
    os.environ["PARCOURS_DEBUG"] = "0"  # as in production: no query log, no debug pages
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from parcours.accounts.models import User
    from parcours.students.models import Student

    # As served: Django's test environment would instrument every template rendering (a signal and a copy of the
    # context per template), which production does not do; only the test client's host is allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if connection.vendor == "postgresql" and vacuum:
        with connection.cursor() as cursor:
            # ANALYZE, and the visibility map autovacuum would have set after the bulk load (the indexes then answer
            # alone): the same database whether or not this server runs autovacuum.
            cursor.execute("VACUUM (ANALYZE)")
    staff = Client()
    staff.force_login(User.objects.get(email="secretariat@demo.helha.be"))
    student = Student.objects.filter(user__email__startswith="pop").order_by("-pk").select_related("user").first()
    pupil = Client()
    pupil.force_login(student.user)
    sql = []

    def count(execute, query, *rest):
        sql.append(query)
        return execute(query, *rest)

    print(json.dumps({"students": Student.objects.count()}), flush=True)
    for line in sys.stdin:
        who, url = line.split()
        client = pupil if who == "student" else staff
        sql.clear()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        print(json.dumps([elapsed, len(sql)]), flush=True)


MEASURES = ([("bare", "staff", "/notifications/")] + [(key, "staff", url) for key, _label, url in PAGES]
            + [("student_bare", "student", "/notifications/"), ("student_home", "student", "/")])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", action="append", default=[], help="LABEL=DATABASE_URL (repeat)")
    parser.add_argument("--runs", type=int, default=21, help="per page and database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        serve_here()
        return
    import benchdb

    base = os.environ.get("DATABASE_URL", "")
    targets = [d.split("=", 1) for d in args.db] or [
        ("2k", benchdb.with_suffix(base, "_2k")), ("20k", base), ("40k", benchdb.with_suffix(base, "_40k"))]
    for label, url in targets:
        if label.endswith("k") and label[:-1].isdigit():
            benchdb.ensure(url, int(label[:-1]) * 1000, log=lambda m: print(m, file=sys.stderr))
    # One process per database, kept for the whole run, and the databases take turns request by request: this
    # machine's speed drifts within seconds, and a ratio between two sizes should not measure the drift. One request
    # at a time in all: the processes never compete for the two cores.
    children = {}
    for label, url in targets:
        env = {**os.environ, **({"DATABASE_URL": url} if url else {})}
        children[label] = subprocess.Popen([sys.executable, __file__, "--child"], env=env, text=True,
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    results: dict[str, dict] = {}
    try:
        for label, child in children.items():
            results[label] = json.loads(child.stdout.readline())

        def ask(label: str, who: str, url: str) -> tuple[float, int]:
            child = children[label]
            child.stdin.write(f"{who} {url}\n")
            child.stdin.flush()
            answer = child.stdout.readline()
            if not answer:
                raise SystemExit(f"bench_pages : la mesure de {label} s'est arrêtée ({url}).")
            return tuple(json.loads(answer))

        times = {label: {key: [] for key, _who, _url in MEASURES} for label in children}
        sql = {label: {} for label in children}
        for run in range(args.runs + 1):  # the first round warms: templates, year parameters, the connection
            for key, who, url in MEASURES:
                for label in children:
                    elapsed, queries = ask(label, who, url)
                    if run:
                        times[label][key].append(elapsed)
                        sql[label][key] = queries
    finally:
        for child in children.values():
            child.stdin.close()
            child.wait()
    for label in children:
        results[label].update({key: (statistics.median(times[label][key]), sql[label][key]) for key in times[label]})
    labels = list(results)
    rows = [("page nue (plancher)", "bare")] + [(f"secrétariat — {name}", key) for key, name, _ in PAGES] + [
        ("étudiant — page nue", "student_bare"), ("étudiant — accueil", "student_home")]
    width = max(len(r[0]) for r in rows)
    print(f"{'page':<{width}}  " + "  ".join(f"{label + ' (' + str(results[label]['students']) + ')':>22}"
                                              for label in labels))
    for name, key in rows:
        print(f"{name:<{width}}  " + "  ".join(f"{results[lb][key][0]:9.1f} ms {results[lb][key][1]:3d} req."
                                                for lb in labels))
    if "20k" in results:
        q20, bare = results["20k"]["queue"][0], results["20k"]["bare"][0]
        print(f"queue page 20k: {q20:.1f} ms (floor {bare:.1f} ms, ratio {q20 / bare:.2f})")
        if "40k" in results:
            q40 = results["40k"]["queue"][0]
            print(f"queue page 40k: {q40:.1f} ms (floor {q20:.1f} ms, ratio {q40 / q20:.2f})")
    else:
        for label in labels:
            q, bare = results[label]["queue"][0], results[label]["bare"][0]
            print(f"queue page {label}: {q:.1f} ms (floor {bare:.1f} ms, ratio {q / bare:.2f})")


if __name__ == "__main__":
    main()
