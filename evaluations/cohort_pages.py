"""The per-cohort pages of the assessment, registered by each area and listed on the overview.

The assessment overview (`evaluations:overview`, in the staff's and Xiaomi's navigation) lists
every cohort with placements and, for each, a link to every page registered here that the
viewer's role may open: so a cohort page is two clicks from the home, whoever added it.
"""

from dataclasses import dataclass

from sztu_xiaomi.registry import register_once


@dataclass(frozen=True)
class CohortPage:
    key: str
    label: str  # a lazy translation
    url_name: str  # takes the cohort's pk as its only argument
    roles: tuple[str, ...]
    order: int = 50
    icon: str = ""  # a Bootstrap Icons name, e.g. "clipboard-check"

    def is_for(self, user) -> bool:
        return user.has_role(*self.roles)


_PAGES: dict[str, CohortPage] = {}


def register(page: CohortPage) -> CohortPage:
    return register_once(_PAGES, page.key, page, "cohort page")


def pages_for(user) -> list[CohortPage]:
    return sorted((p for p in _PAGES.values() if p.is_for(user)), key=lambda p: (p.order, p.key))
