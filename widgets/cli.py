"""The ``casebook`` command line: list and validate cases, hash unlock codes."""

from __future__ import annotations

import argparse
import json
import sys

from .case import hash_unlock_code, list_cases, load_case, localized
from .errors import CaseError

__all__ = ["main"]


def _list(args: argparse.Namespace) -> int:
    cases = list_cases(args.folder)
    if not cases:
        print("no cases found")
        return 1
    for c in cases:
        title = localized(c.title, "en")[0]
        state = "BROKEN: run `casebook validate`" if c.problem else f"{c.phases} phases"
        print(f"{c.id:<16} {title}  ({state}; languages: {', '.join(c.languages) or '-'})")
    return 0


def _validate(args: argparse.Namespace) -> int:
    status = 0
    for target in args.cases:
        try:
            case = load_case(target)
        except CaseError as exc:
            print(exc, file=sys.stderr)
            status = 1
            continue
        print(
            f"{case.id}: OK ({len(case.entities)} entities, {len(case.events)} events, "
            f"{len(case.links)} links, {len(case.documents)} documents, {len(case.phases)} phases)"
        )
        for tag in sorted(case.translations):
            partial = "" if case.in_language(tag).is_translated() else " (in part: the rest in "
            partial += f"{case.meta.source_language})" if partial else ""
            print(f"  translation {tag}: OK{partial}")
    return status


def _hash(args: argparse.Namespace) -> int:
    print(hash_unlock_code(args.case_id, args.phase, args.code))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from . import schema

    models = {
        "case.yml": schema.CaseMeta,
        "answers.yml": schema.Answers,
        "documents/*.md front matter": schema.DocumentMeta,
        **{m.file: m for m in (*schema.ENTITY_FILES.values(), *schema.EVENT_FILES.values())},
    }
    print(json.dumps({k: m.model_json_schema() for k, m in models.items()}, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="casebook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="list the cases")
    p.add_argument("--folder", help="folder holding the cases (default: the repository's cases/)")
    p.set_defaults(func=_list)
    p = sub.add_parser("validate", help="check cases; print every problem as file:row:field")
    p.add_argument("cases", nargs="+", help="case ids or folders, e.g. cases/demo")
    p.set_defaults(func=_validate)
    p = sub.add_parser("hash-code", help="hash a phase unlock code for case.yml")
    p.add_argument("case_id")
    p.add_argument("phase", type=int)
    p.add_argument("code")
    p.set_defaults(func=_hash)
    p = sub.add_parser("schema", help="print the JSON Schema of every case file")
    p.set_defaults(func=_schema)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
