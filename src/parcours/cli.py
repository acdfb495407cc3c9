"""``parcours``: the command line of Parcours.

    parcours articles [--json]             the article registry
    parcours rule --list                    the rules and what they decide
    parcours rule NAME --input FILE|-       a decision as JSON (outcome, reasons with articles)
    parcours demo                           a sample case explained (what `make run` shows for now)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from parcours.regulation.articles import REGISTRY
from parcours.regulation.explain import InputError, RuleError, french_errors
from parcours.regulation.params import ParameterError
from parcours.regulation.rules import RULES, run

EXIT_INPUT, EXIT_RULE, EXIT_PARAMS = 2, 3, 4


def _fail(message: str, code: int) -> int:
    print(f"parcours : {message}", file=sys.stderr)
    return code


def _validation_message(exc: ValidationError) -> str:
    return "\n".join(["données invalides :", *(f"  - {loc} : {msg}" for loc, msg in french_errors(exc))])


def cmd_articles(args: argparse.Namespace) -> int:
    rows = [a.to_dict() for a in REGISTRY]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max(len(r["article"]) for r in rows)
    labels = {"implemented": "implémenté", "data": "paramètre", "workflow": "procédure", "not_computational": "non calculable"}
    for r in rows:
        detail = ", ".join(r["implemented_by"]) if r["implemented_by"] else r["reason"]
        print(f"{r['article']:<{width}}  {labels[r['status']]:<14}  {r['title']} — {detail}")
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in labels}
    print(f"\n{len(rows)} entrées : " + ", ".join(f"{n} {labels[s]}" for s, n in counts.items()))
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    if args.list or not args.name:
        for name, rule in RULES.items():
            print(f"{name:<34} {rule.summary}")
        return 0 if args.list else _fail("nom de règle manquant (voir `parcours rule --list`)", EXIT_INPUT)
    if args.name not in RULES:
        return _fail(f"règle inconnue « {args.name} » (voir `parcours rule --list`)", EXIT_INPUT)
    if args.input is None:
        return _fail("--input FICHIER.json (ou - pour l'entrée standard) est requis", EXIT_INPUT)
    try:
        if args.input == "-":
            stream = getattr(sys.stdin, "buffer", None)  # bytes, so a non-UTF-8 input is ours to report
            raw = stream.read() if stream is not None else sys.stdin.read().encode()
        else:
            raw = Path(args.input).read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        return _fail(f"impossible de lire {args.input} : {exc.strerror}", EXIT_INPUT)
    except UnicodeDecodeError as exc:
        return _fail(f"{args.input} n'est pas un texte UTF-8 (octet invalide en position {exc.start})", EXIT_INPUT)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _fail(f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}", EXIT_INPUT)
    except RecursionError:
        return _fail("JSON trop profondément imbriqué", EXIT_INPUT)
    if not isinstance(data, dict):
        return _fail("l'entrée doit être un objet JSON { … }", EXIT_INPUT)
    try:
        decision = run(args.name, data)
    except ValidationError as exc:
        return _fail(_validation_message(exc), EXIT_INPUT)
    except (InputError, RecursionError) as exc:
        detail = str(exc) if isinstance(exc, InputError) else "faits trop profondément imbriqués"
        return _fail(f"données invalides : {detail}", EXIT_INPUT)
    except RuleError as exc:
        return _fail(f"le règlement ne permet pas de décider : {exc}", EXIT_RULE)
    except ParameterError as exc:
        return _fail(f"paramètres de l'année invalides : {exc}", EXIT_PARAMS)
    print(json.dumps({"rule": args.name, **decision.to_dict(templates=False)}, ensure_ascii=False, indent=2))
    return 0


def cmd_demo(_: argparse.Namespace) -> int:
    from parcours.demo import explain_sample

    print(explain_sample())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parcours", description="Parcours — le RGE HELHa 2023-2024 en code.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("articles", help="registre des articles")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(func=cmd_articles)
    p = sub.add_parser("rule", help="appliquer une règle à des faits JSON")
    p.add_argument("name", nargs="?")
    p.add_argument("--input", "-i", help="fichier JSON des faits, ou - pour l'entrée standard")
    p.add_argument("--list", action="store_true", help="lister les règles")
    p.set_defaults(func=cmd_rule)
    p = sub.add_parser("demo", help="expliquer un cas d'exemple")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `parcours articles | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
