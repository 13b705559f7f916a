"""Landing's pending items (待办): opinions to give, steps to handle, problems to answer."""

from collections.abc import Iterator

from apps.core.pending import PendingItem


def landing_items(user) -> Iterator[PendingItem]:
    # ---- reviews ----
    from apps.landing.selectors.reviews import pending_review_items

    yield from pending_review_items(user)
    # ---- end reviews ----
    # ---- checklists ----
    from apps.landing.selectors.checklists import pending_step_items

    yield from pending_step_items(user)
    # ---- end checklists ----
    # ---- task forces and problems ----
    from apps.landing.selectors.problems import problem_items

    yield from problem_items(user)
    # ---- end task forces and problems ----
    return
    yield
