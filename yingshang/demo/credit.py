"""The demo city's credit red/black lists (信用红黑名单): about sixty entries from every source.

Black: 法院失信被执行人, 市场监管严重违法失信名单, 信用中国 and the city's own findings — among them investors of
demo projects, so that the project pages warn and the screening at registration flagged them (a 选商结果 and an
effect log line each, as services/screening.py would have written). Red: the tax office's A grade (one year,
the older years expired), 海关高级认证企业, 信用中国 and the city's 守信 findings, some on investors too (绿色通道).
One black entry was repaired (信用修复): asked for by ``ducha``, approved by the office's second officer.
Rows are bulk-inserted; the dates move with the day of the build.
"""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from apps.enterprises.models import Enterprise
from apps.investment.models import Project, ScreeningResult, ScreeningRule, Stage
from apps.org import roles
from apps.org.models import Unit, User
from apps.supervision.models import CreditEffectLog, CreditEntry, CreditEvent, CreditRepair
from apps.supervision.services.credit import AppliedEffect, rules_by_key
from yingshang.demo.context import DemoContext

BLACK = (
    ("court", "有履行能力而拒不履行生效法律文书确定的义务", "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
     "（{year}）示01执{n}号"),
    ("court", "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行", "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
     "（{year}）示02执{n}号"),
    ("market", "提交虚假材料取得行政许可，情节严重", "《市场监督管理严重违法失信名单管理办法》第十条",
     "示市监信〔{year}〕{n}号"),
    ("market", "在产品中掺杂掺假、以假充真，被处以较重行政处罚", "《市场监督管理严重违法失信名单管理办法》第九条",
     "示市监信〔{year}〕{n}号"),
    ("credit_china", "拖欠农民工工资，列入拖欠农民工工资失信联合惩戒对象名单", "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
     "人社信〔{year}〕{n}号"),
    ("local", "骗取招商引资奖补资金，已责令退回", "《示范市招商引资奖补资金管理办法》第二十三条", "示信用办〔{year}〕{n}号"),
)  # fmt: skip
RED = (
    ("tax_a", "{year}年度纳税信用评价为A级", "《纳税信用管理办法》", "示税A〔{next}〕{n}号"),
    ("customs_aeo", "经海关认证为高级认证企业（AEO）", "《海关注册登记和备案企业信用管理办法》", "AEO{year}{n:04d}"),
    ("credit_china", "连续三年无不良信用记录，列入守信激励对象名单", "《关于建立完善守信联合激励和失信联合惩戒制度…的指导意见》",
     "发改财金〔{year}〕{n}号"),
    ("local", "示范市诚信示范企业", "《示范市社会信用体系建设示范创建办法》", "示信用办〔{year}〕{n}号"),
)  # fmt: skip
BLACK_INVESTORS, BLACK_OTHERS, RED_INVESTORS, RED_OTHERS, EXPIRED_TAX = 8, 16, 5, 25, 6


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("supervision.credit")
    today = timezone.localdate()
    office = Unit.objects.get(code="990100D22")
    officers = list(User.objects.filter(unit=office, roles__code=roles.SUPERVISION_OFFICER).order_by("id"))
    keeper = User.objects.get(username="ducha")
    projects = list(
        Project.objects.filter(
            stage__in=(Stage.NEGOTIATION, Stage.SIGNED, Stage.STARTED), enterprise__uscc__isnull=False
        )
        .select_related("enterprise")
        .order_by("id")
    )
    rng.shuffle(projects)
    investors = list(dict.fromkeys(project.enterprise for project in projects))
    others = list(
        Enterprise.objects.active()
        .filter(uscc__isnull=False)
        .exclude(pk__in=[e.pk for e in investors])
        .order_by("id")[:400]
    )
    rng.shuffle(others)
    black_investors = investors[:BLACK_INVESTORS]
    red_investors = investors[BLACK_INVESTORS : BLACK_INVESTORS + RED_INVESTORS]
    planned = [(e, "black", True) for e in black_investors] + [(e, "black", False) for e in others[:BLACK_OTHERS]]
    planned += [(e, "red", True) for e in red_investors]
    planned += [(e, "red", False) for e in others[BLACK_OTHERS : BLACK_OTHERS + RED_OTHERS + EXPIRED_TAX]]
    first_seen = _first_registration(projects)
    entries = [
        _entry(
            rng,
            number,
            enterprise,
            kind,
            today,
            keeper,
            office,
            first_seen.get(enterprise.pk) if investor else None,
            expired=kind == "red" and number >= len(planned) - EXPIRED_TAX,
        )  # fmt: skip
        for number, (enterprise, kind, investor) in enumerate(planned, start=1)
    ]
    CreditEntry.objects.bulk_create(entries)
    entries = list(CreditEntry.objects.select_related("enterprise").order_by("id"))
    CreditEvent.objects.bulk_create(
        [CreditEvent(entry=e, action="create", actor=keeper, note=e.reason, at=e.recorded_at) for e in entries]
    )
    _repair(entries, officers, today)
    listed = Project.objects.filter(enterprise__in={e.enterprise_id for e in entries}).order_by("id")
    _screened(entries, list(listed), today)


def clear() -> None:
    CreditEntry.objects.all().delete()


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _first_registration(projects: list[Project]) -> dict[int, date]:
    first: dict[int, date] = {}
    for project in projects:
        day = timezone.localtime(project.created_at).date()
        first[project.enterprise_id] = min(day, first.get(project.enterprise_id, day))
    return first


def _entry(rng, number, enterprise, kind, today, keeper, office, registered: date | None, *, expired: bool):
    if registered is not None:  # listed before the project came, so the screening at registration saw it
        decided = registered - timedelta(days=rng.randint(20, 200))
    else:
        decided = today - timedelta(days=rng.randint(5, 700))
    if expired:
        source, reason, basis, doc = RED[0]
        decided = date(today.year - 1, 4, rng.randint(1, 25))
        expires = date(today.year, 3, 31) if date(today.year, 3, 31) < today else today - timedelta(days=3)
    else:
        source, reason, basis, doc = rng.choice(BLACK if kind == "black" else RED)
        expires = _expiry(rng, source, decided, today)
    values = {"year": decided.year - (1 if source == "tax_a" else 0), "next": decided.year, "n": 100 + number}
    return CreditEntry(
        enterprise=enterprise, kind=kind, source=source, reason=reason.format(**values), legal_basis=basis,
        document_number=doc.format(**values), decided_on=decided, effective_from=decided, expires_on=expires,
        recording_unit=office, recorded_by=keeper, recorded_at=_at(decided + timedelta(days=2)),
    )  # fmt: skip


def _expiry(rng, source: str, decided: date, today: date) -> date | None:
    if source == "tax_a":
        return max(date(decided.year + 1, 3, 31), today + timedelta(days=rng.randint(3, 25)))
    if source in ("court", "credit_china") and rng.random() < 0.5:
        return None  # until the obligation is fulfilled
    return decided + timedelta(days=365 * 3) if decided + timedelta(days=365 * 3) > today else None


def _repair(entries: list[CreditEntry], officers: list[User], today: date) -> None:
    """One black entry repaired: the enterprise paid in full; the office's second officer approved."""
    if len(officers) < 2:
        return
    entry = next(e for e in reversed(entries) if e.kind == "black" and e.source == "court")
    asked = _at(today - timedelta(days=12))
    decided = _at(today - timedelta(days=9), 15)
    CreditRepair.objects.create(
        entry=entry, reason="被执行人已全部履行生效法律文书确定的义务，申请执行人出具了履行完毕证明。",
        evidence=ContentFile(b"%PDF-1.4\n% demo\n", name="lvxing-wanbi.pdf"), status=CreditRepair.Status.APPROVED,
        requested_by=officers[0], requested_at=asked, decided_by=officers[1], decided_at=decided,
        decision_note="经核实已履行完毕，同意移出。",
    )  # fmt: skip
    CreditEntry.objects.filter(pk=entry.pk).update(repaired_at=decided)
    CreditEvent.objects.bulk_create([
        CreditEvent(entry=entry, action="repair_request", actor=officers[0], note="已全部履行", at=asked),
        CreditEvent(entry=entry, action="repair_approve", actor=officers[1], note="经核实已履行完毕，同意移出。", at=decided),
    ])  # fmt: skip


def _screened(entries: list[CreditEntry], projects: list[Project], today: date) -> None:
    """What the 信用红黑名单 screening rule said when the listed investors' projects were registered."""
    rule = ScreeningRule.objects.filter(kind=ScreeningRule.Kind.CREDIT, is_active=True).first()
    if rule is None:
        return
    effects = rules_by_key()
    by_enterprise: dict[int, list[CreditEntry]] = {}
    for entry in entries:
        by_enterprise.setdefault(entry.enterprise_id, []).append(entry)
    results, logs = [], []
    for project in projects:
        registered = timezone.localtime(project.created_at).date()
        for entry in by_enterprise.get(project.enterprise_id, []):
            effect = effects.get((entry.kind, "screening"), "none")
            if effect == "none" or entry.effective_from > registered:
                continue
            applied = AppliedEffect(entry, "screening", effect)
            action = rule.action if entry.is_black else ScreeningRule.Action.WARN
            results.append(ScreeningResult(project=project, rule=rule, action=action, at_stage=Stage.LEAD,
                                           message=applied.message[:300], at=project.created_at))  # fmt: skip
            logs.append(CreditEffectLog(entry=entry, place="screening", effect=effect,
                                        object_key=f"investment.project:{project.pk}",
                                        object_label=f"{project.code} {project.name}"[:200],
                                        object_url=reverse("investment:project_detail", args=[project.pk]), on=registered,
                                        at=project.created_at))  # fmt: skip
    ScreeningResult.objects.bulk_create(results)
    CreditEffectLog.objects.bulk_create(logs, ignore_conflicts=True)
