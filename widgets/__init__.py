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
from .start_page import StartPage

__all__ = [
    "Case",
    "CaseBanner",
    "CaseFile",
    "CaseError",
    "CaseSummary",
    "NetworkExplorer",
    "PageParams",
    "Problem",
    "StartPage",
    "_",
    "cases_dir",
    "get_language",
    "hash_unlock_code",
    "list_cases",
    "load_case",
    "page_params",
    "set_language",
]

__version__ = "0.1.0"
