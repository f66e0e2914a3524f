"""Panels of the « Mon espace » page, contributed by the domain apps.

The dashboard lives in `accounts`, below the domain apps in the dependency rule, so it cannot
import them. Each domain app offers a function `panel(user) -> DashboardPanel | None`, and the
top-level configuration lists them in `MAILLON_DASHBOARD_PANELS` (dotted paths).
"""

import dataclasses

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.module_loading import import_string


@dataclasses.dataclass(frozen=True)
class DashboardLink:
    label: str
    url: str
    count: int | None = None  # shown as a figure beside the label when given
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class DashboardPanel:
    title: str
    links: tuple[DashboardLink, ...]


def panels_for(user: AbstractBaseUser | AnonymousUser) -> list[DashboardPanel]:
    panels: list[DashboardPanel] = []
    for path in settings.MAILLON_DASHBOARD_PANELS:
        panel = import_string(path)(user)
        if panel is not None and panel.links:
            panels.append(panel)
    return panels
