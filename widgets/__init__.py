"""Casebook's widgets: load a case, and build the pages of the training workbooks.

Every workbook imports this package (never ``import ipywidgets as widgets``).
"""

from .i18n import _, get_language, set_language

# Every name is imported when a workbook first asks for it (PEP 562), so a page loads only
# what it shows: the case file does not import networkx, the start page no plotly. Each
# module imported costs every kernel time and memory (benchmarks/pages.py).
_LAZY = {
    "Case": ".case",
    "CaseBanner": ".case_banner",
    "CaseError": ".errors",
    "CaseFile": ".case_file",
    "CaseSummary": ".case",
    "CommunicationsTrail": ".communications_trail",
    "Conclusions": ".conclusions",
    "MoneyTrail": ".money_trail",
    "NetworkExplorer": ".network_explorer",
    "PageParams": ".page",
    "Problem": ".errors",
    "RouteMap": ".route_map",
    "StartPage": ".start_page",
    "cases_dir": ".case",
    "hash_unlock_code": ".case",
    "link_selection": ".selection",
    "list_cases": ".case",
    "load_case": ".case",
    "page_params": ".page",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


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
