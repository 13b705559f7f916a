"""Batch policy matching (政策匹配): the whole registry against every in-force item with a rule.

``start_matching`` queues a run for the task worker (one at a time); ``run_matching`` reads the facts of every
active enterprise into DuckDB (apps/policies/batch.py), asks it for each item's qualifying enterprises, and keeps
PolicyMatch up to date in bulk: a pair seen for the first time is inserted (a new match), a lapsed pair seen
again is current again, and every current match the run did not see is no longer current; rows whose state stays
are not written. The enterprise's portal
accounts and service officers hear of each new match once (the notice key names the pair), and the new matches
of 免申即享 items go to ``_auto_cases``. ``qualifying_enterprises`` is the item page's list.
"""

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import BooleanField, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import BusinessRuleError
from apps.core.notices import NoticeItem, notify_many
from apps.enterprises.models import Enterprise, EnterpriseAccount, ServiceOfficer
from apps.policies import batch, rules
from apps.policies.facts import facts_for_many
from apps.policies.models import FulfilmentState, MatchRun, PolicyItem, PolicyMatch
from apps.policies.permissions import RUN_MATCHING, VIEW_FULFILMENT, visible_fulfilments
from apps.policies.services.eligibility import items_in_force
from apps.policies.services.fulfilment import AutoOpening, open_auto_cases

WRITE_CHUNK = 5000
NOTICE_CHUNK = 2000

STAGES = {
    "read": gettext_lazy("读取企业数据"),
    "match": gettext_lazy("逐条匹配政策条款"),
    "finish": gettext_lazy("更新匹配结果"),
    "notify": gettext_lazy("发送新匹配通知"),
}


def stage_label(run: MatchRun) -> str:
    return str(STAGES.get(run.stage, run.stage))


# ---- starting a run -------------------------------------------------------------------------------


def start_matching(by) -> MatchRun:
    """Queue a run for the task worker; refused while another run is queued or running."""
    if not by.has_perm(RUN_MATCHING):
        raise PermissionDenied
    with transaction.atomic():
        running = MatchRun.objects.select_for_update().filter(
            status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
        )
        if list(running):
            raise BusinessRuleError(_("已有一批政策匹配正在进行，请等它完成后再发起。"))
        run = MatchRun.objects.create(started_by=by, enterprises=Enterprise.objects.active().count())
    from apps.policies.tasks import match_policies

    transaction.on_commit(lambda: match_policies.enqueue(run.pk))
    return run


# ---- running it -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewMatch:
    item: PolicyItem
    enterprise_id: int


def run_matching(run: MatchRun) -> MatchRun:
    """Match the registry against the in-force items, keep PolicyMatch, send the notices of new matches."""
    started = time.monotonic()
    now, as_of = timezone.now(), timezone.localdate()
    items = list(items_in_force(as_of).exclude(rule={}).order_by("pk"))
    _update(run, status=MatchRun.Status.RUNNING, stage="read", items=len(items), processed=0, error="",
            enterprises=Enterprise.objects.active().count())  # fmt: skip
    try:
        table = batch.registry_table(as_of)
        _update(run, stage="match", enterprises=table.num_rows)
        found: dict[int, list[int]] = {}
        with batch.Matcher(table) as matcher:
            for done, item in enumerate(items, start=1):
                found[item.pk] = matcher.matching(item.rule)
                _update(run, processed=done, matches=sum(len(ids) for ids in found.values()))
        del table
        _update(run, stage="finish")
        by_id = {item.pk: item for item in items}
        write = _write_copy if connection.vendor == "postgresql" else _write_rows
        new_matches = [NewMatch(by_id[item_id], pk) for item_id, pk in write(found, now)]
        _update(run, stage="notify", new_matches=len(new_matches))
        notices = _notify(new_matches)
        auto = _auto_cases(run, [match for match in new_matches if match.item.auto_grant])
    except Exception as error:
        _update(run, status=MatchRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now(),
                seconds=time.monotonic() - started)  # fmt: skip
        raise
    _update(run, status=MatchRun.Status.FINISHED, stage="", notices=notices, auto_cases=auto,
            finished_at=timezone.now(), seconds=round(time.monotonic() - started, 2))  # fmt: skip
    return run


def _write_rows(found: dict[int, list[int]], now) -> list[tuple[int, int]]:
    """Insert the new pairs and flip ``current`` where it changes, item by item (every current pair of an item
    left out of ``found`` lapses); returns the new pairs."""
    new_pairs = []
    with transaction.atomic():
        PolicyMatch.objects.filter(current=True).exclude(item_id__in=found).update(current=False, changed_at=now)
        for item_id, ids in found.items():
            known = dict(PolicyMatch.objects.filter(item_id=item_id).values_list("enterprise_id", "current"))
            wanted = set(ids)
            new = [pk for pk in ids if pk not in known]
            again = [pk for pk in ids if known.get(pk) is False]
            lapsed = [pk for pk, current in known.items() if current and pk not in wanted]
            PolicyMatch.objects.bulk_create(
                [PolicyMatch(item_id=item_id, enterprise_id=pk, first_matched_at=now, changed_at=now) for pk in new],
                batch_size=WRITE_CHUNK,
            )
            for pks, current in ((again, True), (lapsed, False)):
                for start in range(0, len(pks), WRITE_CHUNK):
                    PolicyMatch.objects.filter(
                        item_id=item_id, enterprise_id__in=pks[start : start + WRITE_CHUNK]
                    ).update(current=current, changed_at=now)
            new_pairs += [(item_id, pk) for pk in new]
    return new_pairs


def _write_copy(found: dict[int, list[int]], now) -> list[tuple[int, int]]:
    """PostgreSQL: the pairs found are copied into a temporary table, then one INSERT of the new ones, one UPDATE
    of the lapsed ones seen again and one of the current ones not seen (an anti-join): the rows whose state stays
    are not written, so a second run over 200,000 enterprises writes next to nothing; returns the new pairs."""
    table = PolicyMatch._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS policy_match_found")
        cursor.execute("CREATE TEMPORARY TABLE policy_match_found (item_id integer, enterprise_id integer)")
        with cursor.copy("COPY policy_match_found (item_id, enterprise_id) FROM STDIN") as copy:
            for item_id, ids in found.items():
                for pk in ids:
                    copy.write_row((item_id, pk))
        cursor.execute("CREATE INDEX ON policy_match_found (item_id, enterprise_id)")
        cursor.execute("ANALYZE policy_match_found")
        # the unique index finds the pairs seen before (a NOT EXISTS here may be planned as a scan per row)
        cursor.execute(
            f"INSERT INTO {table} (item_id, enterprise_id, current, first_matched_at, changed_at) "  # noqa: S608
            "SELECT item_id, enterprise_id, TRUE, %s, %s FROM policy_match_found "
            "ON CONFLICT (item_id, enterprise_id) DO NOTHING RETURNING item_id, enterprise_id",
            [now, now],
        )
        new_pairs = [tuple(row) for row in cursor.fetchall()]
        cursor.execute(f"ANALYZE {table}")  # its size may have changed a lot: plan the joins with fresh figures
        cursor.execute(
            f"UPDATE {table} m SET current = TRUE, changed_at = %s FROM policy_match_found f "  # noqa: S608
            "WHERE NOT m.current AND m.item_id = f.item_id AND m.enterprise_id = f.enterprise_id",
            [now],
        )
        cursor.execute(
            f"UPDATE {table} m SET current = FALSE, changed_at = %s WHERE m.current AND NOT EXISTS "  # noqa: S608
            "(SELECT 1 FROM policy_match_found f WHERE f.item_id = m.item_id AND f.enterprise_id = m.enterprise_id)",
            [now],
        )
        cursor.execute("DROP TABLE policy_match_found")
    return sorted(new_pairs)


def _notify(new_matches: Sequence[NewMatch]) -> int:
    """A notice per new match to the enterprise's portal accounts and its service officers (once per pair)."""
    accounts, officers, names = _recipients(sorted({match.enterprise_id for match in new_matches}))
    notices: list[NoticeItem] = []
    for match in new_matches:
        pk, item = match.enterprise_id, match.item
        if pk not in names:
            continue
        key = f"policies.match.{item.pk}.{pk}"
        title = _("可享受新的惠企政策：%(item)s") % {"item": item.title}
        body = _("%(enterprise)s 符合《%(policy)s》%(number)s“%(item)s”的条件%(auto)s。") % {
            "enterprise": names[pk], "policy": item.policy.title, "number": item.number, "item": item.title,
            "auto": _("，免申即享，无需申请") if item.auto_grant else "",
        }  # fmt: skip
        if accounts[pk]:
            notices.append(NoticeItem(accounts[pk], key, title, "", body))
        if officers[pk]:
            notices.append(NoticeItem(officers[pk], key, title, reverse("enterprises:detail", args=[pk]), body))
    sent = 0
    for start in range(0, len(notices), NOTICE_CHUNK):
        sent += notify_many(notices[start : start + NOTICE_CHUNK])
    return sent


def _recipients(enterprise_ids: list[int]) -> tuple[dict, dict, dict]:
    """Active portal accounts and service officers by enterprise, and the names of the enterprises reached."""
    accounts, officers, names = defaultdict(list), defaultdict(list), {}
    for start in range(0, len(enterprise_ids), WRITE_CHUNK):
        part = enterprise_ids[start : start + WRITE_CHUNK]
        for account in EnterpriseAccount.objects.filter(enterprise_id__in=part, user__is_active=True).select_related(
            "user"
        ):
            accounts[account.enterprise_id].append(account.user)
        for link in ServiceOfficer.objects.filter(enterprise_id__in=part, officer__is_active=True).select_related(
            "officer"
        ):
            officers[link.enterprise_id].append(link.officer)
    reached = sorted(set(accounts) | set(officers))
    for start in range(0, len(reached), WRITE_CHUNK):
        names.update(Enterprise.objects.filter(pk__in=reached[start : start + WRITE_CHUNK]).values_list("pk", "name"))
    return accounts, officers, names


def _auto_cases(run: MatchRun, new_pairs: Sequence[NewMatch]) -> int:
    """A case to confirm for each new match of a 免申即享 item (facts read once for all of them), with the reasons;
    returns how many were opened (an enterprise with an open or paid case gets none)."""
    if not new_pairs:
        return 0
    facts = facts_for_many({pair.enterprise_id for pair in new_pairs}, timezone.localdate())
    openings = [
        AutoOpening(pair.item, pair.enterprise_id, rules.explain(pair.item.rule, facts[pair.enterprise_id]).lines)
        for pair in new_pairs
    ]
    return len(open_auto_cases(openings, run=run))


def _update(run: MatchRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    MatchRun.objects.filter(pk=run.pk).update(**fields)


# ---- the item's qualifying enterprises ----------------------------------------------------------------

APPLIED, NOT_APPLIED, PAID = "applied", "not_applied", "paid"
APPLICATION_FILTERS = (
    (APPLIED, gettext_lazy("已有兑现件")),
    (NOT_APPLIED, gettext_lazy("尚无兑现件")),
    (PAID, gettext_lazy("已兑付")),
)


def qualifying_enterprises(item: PolicyItem, user, *, text: str = "", application: str = "") -> QuerySet:
    """The item's current matches with their enterprise, ``latest_state`` (the state of its latest case the user
    may read, or None) and ``applied`` (whether it has one): one query whatever the number of matches."""
    matches = (
        PolicyMatch.objects.filter(item=item, current=True)
        .select_related("enterprise")
        .order_by("enterprise__name", "enterprise_id")
    )
    if text.strip():
        words = text.strip()
        matches = matches.filter(Q(enterprise__name__icontains=words) | Q(enterprise__uscc__icontains=words))
    visible = visible_fulfilments(user) if user.has_perm(VIEW_FULFILMENT) else None
    if visible is not None and not visible.query.is_empty():
        cases = visible.filter(item=item, enterprise=OuterRef("enterprise"))
        matches = matches.annotate(
            latest_state=Subquery(cases.order_by("-id").values("state")[:1]), applied=Exists(cases)
        )
    else:
        matches = matches.annotate(
            latest_state=Value(None, output_field=CharField()), applied=Value(False, output_field=BooleanField())
        )
    if application == APPLIED:
        matches = matches.filter(applied=True)
    elif application == NOT_APPLIED:
        matches = matches.filter(applied=False)
    elif application == PAID:
        matches = matches.filter(latest_state=FulfilmentState.PAID)
    return matches


def state_label(state: str | None) -> str:
    return str(FulfilmentState(state).label) if state else ""
