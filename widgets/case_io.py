"""Reading a case's files: text, YAML and Markdown front matter, each problem with its line.

:mod:`widgets.case` reads case.yml, answers.yml, the tables and the documents with these;
:mod:`widgets.case_translations` reads the translations with the same, so that a problem in
either is reported the same way (``file:line:field: reason``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = [
    "read_text",
    "load_yaml",
    "yaml_line",
    "yaml_tree",
    "split_front_matter",
    "load_front_matter",
]

#: libyaml's parser when it is there (about ten times faster); the same YAML either way.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """Return a file's UTF-8 text, or ``None`` and a problem if it is missing or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(rel, None, "", "missing file"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, None, "", f"cannot be read ({exc.strerror})"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                rel,
                line,
                "",
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x}): save it as UTF-8",
            )
        )
        return None


def load_yaml(path: Path, rel: str, problems: list[Problem]) -> tuple[Any, str | None]:
    """Return the data of a YAML file and its text (for the lines of problems), or ``None``s.

    The data comes from libyaml's C parser when it is there; the slower pure-Python node
    tree that knows lines is composed only when a problem must be located
    (``widgets.case._validate_yaml``).
    """
    text = read_text(path, rel, problems)
    if text is None:
        return None, None
    try:
        data = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problems.append(
            Problem(rel, line, "", f"is not valid YAML ({getattr(exc, 'problem', exc)})")
        )
        return None, None
    return data, text


def yaml_line(node: yaml.Node | str | None, loc: Iterable[Any]) -> int | None:
    """Return the 1-based line of the YAML node at ``loc``, or of its nearest parent.

    ``node`` may be the YAML text itself: its node tree is then composed (once) here.
    """
    if node is None:
        return None
    if isinstance(node, str):
        node = yaml_tree(node)
    line = node.start_mark.line + 1
    for key in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    child = v
                    line = k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if 0 <= key < len(node.value):
                child = node.value[key]
                line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


@functools.lru_cache(maxsize=64)
def yaml_tree(text: str) -> yaml.Node:
    """Return the node tree of a YAML text (it knows lines), composed only to locate a problem."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split a Markdown document into (front matter, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return "", text, 1
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return "", text, 1


def load_front_matter(front: str, rel: str, problems: list[Problem]) -> tuple[bool, Any]:
    """Parse a document's front matter; return ``(False, None)`` and a problem if it is broken.

    The front matter starts on the file's second line, after the opening ``---``.

    Examples
    --------
    >>> problems = []
    >>> load_front_matter("id: [D-1", "documents/D-1.md", problems)[0], len(problems)
    (False, 1)
    """
    try:
        return True, yaml.load(front, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(
            Problem(
                rel,
                mark.line + 2 if mark else 1,
                "",
                f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})",
            )
        )
        return False, None
