"""Casebook's widgets: load a case, and build the pages of the training workbooks.

Every workbook imports this package (never ``import ipywidgets as widgets``).
"""

from .case import Case, CaseSummary, cases_dir, hash_unlock_code, list_cases, load_case
from .case_banner import CaseBanner
from .case_file import CaseFile
from .errors import CaseError, Problem
from .i18n import _, get_language, set_language
from .network_explorer import NetworkExplorer
from .page import PageParams, page_params
from .selection import link_selection
from .start_page import StartPage

# The trails and the map draw charts with plotly, which takes a while to import: they are
# imported when a workbook first asks for them, so the other pages open sooner.
_LAZY = {
    "CommunicationsTrail": ".communications_trail",
    "Conclusions": ".conclusions",
    "MoneyTrail": ".money_trail",
    "RouteMap": ".route_map",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Case",
    "CaseBanner",
    "CaseFile",
    "CaseError",
    "CommunicationsTrail",
    "CaseSummary",
    "Conclusions",
    "MoneyTrail",
    "NetworkExplorer",
    "PageParams",
    "Problem",
    "RouteMap",
    "StartPage",
    "_",
    "cases_dir",
    "get_language",
    "hash_unlock_code",
    "link_selection",
    "list_cases",
    "load_case",
    "page_params",
    "set_language",
]

__version__ = "0.1.0"
