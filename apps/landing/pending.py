"""Landing's pending items (待办): opinions to give, steps to handle, problems to answer."""

from collections.abc import Iterator

from apps.core.pending import PendingItem


def landing_items(user) -> Iterator[PendingItem]:
    # ---- reviews ----
    # ---- end reviews ----
    # ---- checklists ----
    # ---- end checklists ----
    # ---- task forces and problems ----
    # ---- end task forces and problems ----
    return
    yield
