"""The one exception raised for a broken case, listing every problem as file:row:field."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "CaseError"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a case, located as precisely as the file allows.

    Parameters
    ----------
    file : str
        Path of the file, relative to the case folder (``"persons.csv"``).
    row : int or None
        The row as a spreadsheet shows it (the header is row 1, so the first record is
        row 2), or the line in a YAML or Markdown file; ``None`` where no row applies.
    field : str
        The column or key at fault; empty where the whole file or row is at fault.
    reason : str
        What is wrong, in words a case author understands.

    Examples
    --------
    >>> str(Problem("persons.csv", 3, "nationality", "unknown country code 'XX'"))
    "persons.csv:3:nationality: unknown country code 'XX'"
    >>> str(Problem("case.yml", None, "", "missing file"))
    'case.yml: missing file'
    """

    file: str
    row: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.field:
            where += f":{self.field}"
        return f"{where}: {self.reason}"


class CaseError(ValueError):
    """A case that cannot be loaded; ``problems`` lists every fault found, not just the first.

    Parameters
    ----------
    case : str
        The case folder, as given to the loader.
    problems : list of Problem
        Everything that is wrong, sorted by file and row.
    """

    def __init__(self, case: str, problems: list[Problem]):
        self.case = case
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.field, p.reason))
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        head = f"case {self.case!r} has {n} problem{'s' if n != 1 else ''}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
