"""One entity in focus across the views of a page: the network, the phones, the money, the map.

Every view (:class:`~widgets.NetworkExplorer`, :class:`~widgets.CommunicationsTrail`,
:class:`~widgets.MoneyTrail`, :class:`~widgets.RouteMap`) has a ``selected`` trait: the id of
the person, phone, account or place the user picked last, or ``None``. Linking the views keeps
that trait the same in all of them, so a click in one shows the same entity in the others.
"""

from __future__ import annotations

import traitlets

__all__ = ["link_selection"]


def link_selection(*views: traitlets.HasTraits) -> list[traitlets.link]:
    """Keep the ``selected`` entity of ``views`` the same; return the links (to ``unlink()``).

    Examples
    --------
    >>> class View(traitlets.HasTraits):
    ...     selected = traitlets.Unicode(None, allow_none=True)
    >>> a, b, c = View(), View(), View()
    >>> links = link_selection(a, b, c)
    >>> c.selected = "P-ORG"
    >>> a.selected, b.selected
    ('P-ORG', 'P-ORG')
    """
    for view in views:
        if not view.has_trait("selected"):
            raise TypeError(f"{type(view).__name__} has no 'selected' trait to link")
    first, *others = views
    return [traitlets.link((first, "selected"), (other, "selected")) for other in others]
