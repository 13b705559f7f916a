from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.errors import BusinessRuleError
from apps.investment.forms.rewards import RewardRuleForm, parse_bands
from apps.investment.models import FundRecord, Introducer, Project, RewardClaim, RewardRule, Stage
from apps.investment.selectors.rewards import return_reason
from apps.investment.services import rewards as services
from apps.investment.services.rewards import (
    check_bands,
    compute_reward,
    confirm_reward_claim,
    file_reward_claims,
    pay_reward_claim,
    register_introducer,
    reject_reward_claim,
    return_reward_claim,
    save_reward_rule,
    split_by_share,
    update_introducer,
)
from apps.investment.tests.factories import lead
from apps.org.models import Role
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
#: 宣州区's rule: 3‰ up to 1亿, 2‰ from 1亿 to 5亿, 1.5‰ above 5亿 (amounts in 万元)
XUANZHOU = [{"from": 0, "per_mille": 3}, {"from": 10000, "per_mille": 2}, {"from": 50000, "per_mille": 1.5}]
ID_ZHANG, ID_LI, ID_WANG = "110101199003071233", "110101198512124562", "440305199508153333"
Status = RewardClaim.Status


@pytest.fixture
def rule(db):
    return RewardRule.objects.create(name="引荐奖励办法（2020）", bands=XUANZHOU, valid_from=date(2020, 1, 1))


@pytest.fixture
def zhang(officer_a):
    return register_introducer(
        unit=officer_a.unit, by=officer_a, kind="person", name="张引荐", phone="13812345678", id_number=ID_ZHANG
    )


@pytest.fixture
def li(officer_a):
    return register_introducer(
        unit=officer_a.unit, by=officer_a, kind="person", name="李引荐", phone="13987654321", id_number=ID_LI
    )


def producing(officer, introducer, *, fixed_assets=(Decimal(50000), Decimal(30000)), producing_on=None, **details):
    """A lead of ``officer``'s unit moved straight to a confirmed 投产, with its months' fixed-asset figures."""
    project = lead(officer, introducer=introducer, **details)
    producing_on = producing_on or TODAY - timedelta(days=30)
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.PRODUCING,
        counted_stage=Stage.PRODUCING,
        signed_on=producing_on - timedelta(days=400),
        producing_on=producing_on,
    )
    for n, amount in enumerate(fixed_assets):
        FundRecord.objects.create(
            project=project, month=date(2024, n + 1, 1), amount=amount, fixed_asset=amount, entered_by=officer
        )
    project.refresh_from_db()
    return project


@pytest.fixture
def project(officer_a, zhang, rule):
    """Producing, 80,000 万元 of fixed assets in place: 10000×3‰ + 40000×2‰ + 30000×1.5‰ = 155 万元."""
    return producing(officer_a, zhang)


@pytest.fixture
def claim(project, zhang, officer_a):
    return file_reward_claims(project=project, shares=[(zhang, 100)], by=officer_a)[0]


def reload(claim):
    return RewardClaim.objects.get(pk=claim.pk)


def grant_personal_data(user):
    role = Role.objects.create(code=f"privacy-{user.pk}", name=f"个人信息查看{user.pk}")
    role.permissions.add(Permission.objects.get(codename="view_personal_data"))
    user.roles.add(role)


# ---- the computation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("investment", "expected"),
    [
        (Decimal(0), Decimal("0.00")),
        (Decimal(5000), Decimal("15.00")),  # 5000 × 3‰
        (Decimal(10000), Decimal("30.00")),  # the whole first band
        (Decimal(25000), Decimal("60.00")),  # 30 + 15000 × 2‰
        (Decimal(80000), Decimal("155.00")),  # 30 + 80 + 30000 × 1.5‰
        (Decimal("12345.67"), Decimal("34.69")),  # 30 + 2345.67 × 2‰ = 34.69134
    ],
)
def test_the_reward_follows_the_bands(investment, expected):
    computation = compute_reward(XUANZHOU, None, investment)

    assert computation.total == expected
    assert computation.total == RewardRule(bands=XUANZHOU).reward_for(investment)


def test_the_computation_shows_each_band_and_the_cap():
    computation = compute_reward(XUANZHOU, Decimal(100), Decimal(80000))

    assert [(p.low, p.high, p.part, p.reward) for p in computation.parts] == [
        (Decimal(0), Decimal(10000), Decimal(10000), Decimal(30)),
        (Decimal(10000), Decimal(50000), Decimal(40000), Decimal(80)),
        (Decimal(50000), None, Decimal(30000), Decimal(45)),
    ]
    assert (computation.before_cap, computation.capped, computation.total) == (Decimal(155), True, Decimal(100))


def test_a_band_starting_above_zero_is_a_threshold():
    computation = compute_reward([{"from": 5000, "per_mille": 2}], None, Decimal(8000))

    assert computation.total == Decimal("6.00")  # only the 3000 above 5000, at 2‰
    assert compute_reward([{"from": 5000, "per_mille": 2}], None, Decimal(4000)).total == 0


@pytest.mark.parametrize(
    ("total", "shares", "parts"),
    [
        (Decimal("155.00"), [60, 40], ["93.00", "62.00"]),
        (Decimal("0.10"), [33, 33, 34], ["0.03", "0.03", "0.04"]),  # the largest share takes the rounding
        (Decimal("0.01"), [50, 50], ["0.00", "0.01"]),
        (Decimal("30.00"), [100], ["30.00"]),
    ],
)
def test_shares_split_the_reward_to_the_cent_and_add_up(total, shares, parts):
    split = split_by_share(total, shares)

    assert split == [Decimal(p) for p in parts]
    assert sum(split) == total


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([], "请至少填写一档"),
        ([{"from": 0, "per_mille": 3}, {"from": 0, "per_mille": 2}], "第 2 档的起点 0 万元应高于第 1 档的 0 万元"),
        ([{"from": 10000, "per_mille": 2}, {"from": 5000, "per_mille": 3}], "分档须从低到高"),
        ([{"from": 0, "per_mille": -1}], "第 1 档的比例不能为负数"),
        ([{"from": -5, "per_mille": 1}], "第 1 档的起点不能为负数"),
    ],
)
def test_bands_must_ascend_and_rates_be_zero_or_more(bands, message):
    with pytest.raises(BusinessRuleError, match=message):
        check_bands(bands)


def test_bands_are_stored_as_numbers_that_compute_exactly():
    checked = check_bands(
        [{"from": Decimal("0"), "per_mille": Decimal("1.50")}, {"from": Decimal("100.5"), "per_mille": 0}]
    )

    assert checked == [{"from": 0, "per_mille": 1.5}, {"from": 100.5, "per_mille": 0}]
    assert RewardRule(bands=checked).reward_for(Decimal(200)) == Decimal("0.15")


def test_the_band_editor_reads_one_band_a_line_and_explains_bad_lines():
    assert parse_bands("0 3‰\n10000万元，2\n\n50000：1.5") == [
        {"from": Decimal(0), "per_mille": Decimal(3)},
        {"from": Decimal(10000), "per_mille": Decimal(2)},
        {"from": Decimal(50000), "per_mille": Decimal("1.5")},
    ]
    form = RewardRuleForm(
        {"name": "办法", "bands": "0 3\n一万 2", "claim_within_days": 365, "valid_from": "2026-01-01"}
    )
    assert not form.is_valid()
    assert form.errors["bands"] == ["第 2 行应为“起点（万元） 比例（‰）”两个数，如“10000 2”。"]


def test_rule_periods_cannot_overlap_and_used_bands_are_fixed(coordinator, claim, rule):
    details = {"name": "新办法", "bands": XUANZHOU, "cap": None, "claim_within_days": 365}
    with pytest.raises(BusinessRuleError, match="有效期与“引荐奖励办法（2020）”（2020-01-01 起）重叠"):
        save_reward_rule(rule=None, valid_from=date(2025, 1, 1), by=coordinator, **details)
    with pytest.raises(BusinessRuleError, match="分档和上限不能再改"):
        save_reward_rule(
            rule=rule, name=rule.name, bands=[{"from": 0, "per_mille": 5}], cap=None, claim_within_days=365,
            valid_from=rule.valid_from, by=coordinator,
        )  # fmt: skip

    save_reward_rule(rule=rule, valid_from=rule.valid_from, valid_to=date(2024, 12, 31), by=coordinator, **details)
    newer = save_reward_rule(rule=None, valid_from=date(2025, 1, 1), by=coordinator, **details)

    assert services.rule_in_force(date(2024, 6, 1)) == rule
    assert services.rule_in_force(date(2025, 6, 1)) == newer


# ---- introducers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("11010119900307123", "身份证号应为 18 位"),
        ("110101199003071234", "校验位不正确"),
        ("11010119900A071233", "前 17 位应为数字"),
        ("110101199013071237", "出生日期或地区码不正确"),
        ("999999199003071234", "出生日期或地区码不正确"),
    ],
)
def test_an_id_number_is_checked(officer_a, id_number, message):
    with pytest.raises(BusinessRuleError, match=message):
        register_introducer(unit=officer_a.unit, by=officer_a, kind="person", name="王五", id_number=id_number)


@pytest.mark.parametrize(
    ("phone", "stored"),
    [("138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"), ("0551-62345678", "0551-62345678")],
)
def test_phones_are_normalised(officer_a, phone, stored):
    introducer = register_introducer(unit=officer_a.unit, by=officer_a, kind="person", name="王五", phone=phone)

    assert introducer.phone == stored
    assert introducer.id_number == ""


@pytest.mark.parametrize("phone", ["12345", "23812345678", "055162345678x"])
def test_a_bad_phone_is_refused(officer_a, phone):
    with pytest.raises(BusinessRuleError, match="联系电话格式不正确"):
        register_introducer(unit=officer_a.unit, by=officer_a, kind="person", name="王五", phone=phone)


def test_an_id_number_is_registered_once_per_unit_and_not_for_enterprises(officer_a, officer_b, zhang):
    with pytest.raises(BusinessRuleError, match="已在本单位备案为引荐人“张引荐”"):
        register_introducer(unit=officer_a.unit, by=officer_a, kind="person", name="张三", id_number=ID_ZHANG)
    with pytest.raises(BusinessRuleError, match="企业或机构引荐人不填身份证号"):
        register_introducer(unit=officer_a.unit, by=officer_a, kind="enterprise", name="某商会", id_number=ID_LI)

    other_county = register_introducer(
        unit=officer_b.unit, by=officer_b, kind="person", name="张引荐", id_number=ID_ZHANG
    )
    assert other_county.unit == officer_b.unit


def test_who_an_introducer_is_is_fixed_once_a_reward_is_confirmed(officer_a, coordinator, claim, zhang):
    update_introducer(introducer=zhang, note="老乡会会长", by=officer_a)
    confirm_reward_claim(claim=claim, by=coordinator)

    with pytest.raises(BusinessRuleError, match="不能再修改"):
        update_introducer(introducer=Introducer.objects.get(pk=zhang.pk), name="张某", by=officer_a)
    update_introducer(introducer=Introducer.objects.get(pk=zhang.pk), phone="13800000000", by=officer_a)
    assert Introducer.objects.get(pk=zhang.pk).phone == "13800000000"


# ---- filing ---------------------------------------------------------------------------------


def test_one_introducer_is_rewarded_by_the_rule_on_actual_fixed_assets(claim, project, rule):
    assert (claim.rule, claim.share, claim.base_investment, claim.amount) == (rule, 100, Decimal(80000), Decimal(155))
    assert claim.status == Status.SUBMITTED
    assert LogEntry.objects.get_for_object(claim).filter(action=LogEntry.Action.CREATE).count() == 1


def test_the_rule_in_force_on_the_signing_day_applies(officer_a, zhang, rule, coordinator):
    Project.objects.all().delete()
    save_reward_rule(
        rule=rule, name=rule.name, bands=XUANZHOU, cap=None, claim_within_days=3650, valid_from=rule.valid_from,
        valid_to=TODAY - timedelta(days=100), by=coordinator,
    )  # fmt: skip
    save_reward_rule(
        rule=None, name="新办法", bands=[{"from": 0, "per_mille": 1}], cap=Decimal(50), claim_within_days=365,
        valid_from=TODAY - timedelta(days=99), by=coordinator,
    )  # fmt: skip
    early = producing(officer_a, zhang)  # signed 430 days ago: the old rule
    late = producing(officer_a, zhang, producing_on=TODAY)
    Project.objects.filter(pk=late.pk).update(signed_on=TODAY - timedelta(days=10))
    late.refresh_from_db()

    first = file_reward_claims(project=early, shares=[(zhang, 100)], by=officer_a)[0]
    second = file_reward_claims(project=late, shares=[(zhang, 100)], by=officer_a)[0]

    assert (first.rule, first.amount) == (rule, Decimal(155))
    assert (second.rule.name, second.amount) == ("新办法", Decimal(50))  # 80000 × 1‰ = 80, capped at 50


def test_several_introducers_share_the_reward(project, zhang, li, officer_a):
    claims = file_reward_claims(project=project, shares=[(zhang, 60), (li, 40)], by=officer_a)

    assert [(c.introducer, c.share, c.amount) for c in claims] == [(zhang, 60, Decimal(93)), (li, 40, Decimal(62))]


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        (lambda z, w: [(z, 60), (w, 30)], "合计须为 100%，现为 90%"),
        (lambda z, w: [(w, 100)], "只奖励其登记的引荐人“张引荐”"),
        (lambda z, w: [(z, 50), (z, 50)], "引荐人“张引荐”重复填写"),
        (lambda z, w: [(z, 0), (w, 100)], "分成比例须在 1%—100% 之间"),
        (lambda z, w: [], "请至少填写一位引荐人"),
    ],
)
def test_shares_must_add_up_and_include_the_registered_introducer(project, zhang, li, officer_a, shares, message):
    with pytest.raises(BusinessRuleError, match=message):
        file_reward_claims(project=project, shares=shares(zhang, li), by=officer_a)
    assert not RewardClaim.objects.exists()


def test_a_person_needs_an_id_number_before_filing(officer_a, rule):
    nobody = register_introducer(unit=officer_a.unit, by=officer_a, kind="person", name="赵六", phone="13811112222")
    project = producing(officer_a, nobody)

    with pytest.raises(BusinessRuleError, match="个人引荐人“赵六”尚未登记身份证号"):
        file_reward_claims(project=project, shares=[(nobody, 100)], by=officer_a)


def test_filing_waits_for_confirmed_production_funds_and_the_window(officer_a, zhang, rule):
    signed = lead(officer_a, introducer=zhang)
    no_funds = producing(officer_a, zhang, fixed_assets=())
    too_late = producing(officer_a, zhang, producing_on=TODAY - timedelta(days=400))
    none_in_force = producing(officer_a, zhang, producing_on=date(2020, 6, 1))

    assert services.filing_problems(signed)[0] == "项目投产并经确认后才能申报引荐奖励。"
    assert services.filing_problems(no_funds) == [
        "项目还没有填报实际完成的固定资产投资（到位资金中的“当月完成固定资产投资”）。"
    ]
    deadline = too_late.producing_on + timedelta(days=365)
    assert services.filing_problems(too_late) == [
        f"已超过申报期限：投产（{too_late.producing_on:%Y-%m-%d}）后 365 天内申报，截止 {deadline:%Y-%m-%d}。"
    ]
    assert services.filing_problems(none_in_force) == ["签约日（2019-04-28）没有生效的引荐奖励办法。"]
    with pytest.raises(BusinessRuleError, match="投产并经确认后"):
        file_reward_claims(project=signed, shares=[(zhang, 100)], by=officer_a)


def test_only_the_projects_own_unit_files(project, zhang, officer_b, coordinator):
    for outsider in (officer_b, coordinator):
        with pytest.raises(BusinessRuleError, match="只有项目责任单位可以申报"):
            file_reward_claims(project=project, shares=[(zhang, 100)], by=outsider)


# ---- joint confirmation -------------------------------------------------------------------


@pytest.mark.parametrize("bureau_first", [True, False])
def test_the_bureau_and_the_county_confirm_in_either_order(claim, coordinator, county_admin_a, bureau_first):
    first, second = (coordinator, county_admin_a) if bureau_first else (county_admin_a, coordinator)
    start = timezone.now()

    after_first = confirm_reward_claim(claim=claim, by=first)

    assert after_first.status == (Status.BUREAU_CONFIRMED if bureau_first else Status.SUBMITTED)
    half = reload(claim)
    assert (half.bureau_confirmed_at is not None, half.county_confirmed_at is not None) == (
        bureau_first,
        not bureau_first,
    )
    assert services.CONFIRM not in services.allowed_actions(half, first)
    done = confirm_reward_claim(claim=reload(claim), by=second)
    assert done.status == Status.CONFIRMED
    saved = reload(claim)
    assert (saved.status, saved.bureau_confirmed_by, saved.county_confirmed_by) == (
        Status.CONFIRMED, coordinator, county_admin_a,
    )  # fmt: skip
    earlier, later = (
        (saved.bureau_confirmed_at, saved.county_confirmed_at)
        if bureau_first
        else (saved.county_confirmed_at, saved.bureau_confirmed_at)
    )
    assert start <= earlier <= later <= timezone.now()
    assert (half.bureau_confirmed_at or half.county_confirmed_at) == earlier  # the first side's time is kept
    sides = [
        entry.additional_data["side"] for entry in LogEntry.objects.get_for_object(claim).exclude(additional_data=None)
    ]
    assert sorted(sides) == ["bureau", "county"]


def test_the_applicant_and_other_counties_cannot_confirm(claim, officer_a, officer_b, city_leader):
    for user in (officer_a, officer_b, city_leader):
        assert services.allowed_actions(claim, user) == []
        with pytest.raises(BusinessRuleError, match="当前不能对该奖励申报执行“确认”"):
            confirm_reward_claim(claim=claim, by=user)
    assert reload(claim).status == Status.SUBMITTED


def test_one_person_never_confirms_both_sides(bureau, officer_a, rule):
    """A project of the bureau itself: both sides are bureau people, so two of them must confirm."""
    from apps.org import roles

    bureau.refresh_from_db()  # creating 东城区 after it moved it among its siblings
    first = UserFactory(username="bureau1", unit=bureau, roles=[roles.INVESTMENT_OFFICER])
    second = UserFactory(username="bureau2", unit=bureau, roles=[roles.INVESTMENT_OFFICER])
    filer = UserFactory(username="bureau3", unit=bureau, roles=[roles.INVESTMENT_OFFICER])
    introducer = register_introducer(unit=bureau, by=filer, kind="enterprise", name="示范市总商会")
    project = producing(filer, introducer)
    claim = file_reward_claims(project=project, shares=[(introducer, 100)], by=filer)[0]

    confirm_reward_claim(claim=claim, by=first)
    assert services.side_to_confirm(reload(claim), first) is None
    confirm_reward_claim(claim=reload(claim), by=second)

    assert (reload(claim).bureau_confirmed_by, reload(claim).county_confirmed_by) == (first, second)


def test_either_side_returns_with_a_reason_and_the_unit_files_again(
    claim, project, zhang, li, officer_a, coordinator, county_admin_a
):
    confirm_reward_claim(claim=claim, by=coordinator)
    with pytest.raises(BusinessRuleError, match="退回须写明理由"):
        return_reward_claim(claim=reload(claim), reason="  ", by=county_admin_a)

    start = timezone.now()

    return_reward_claim(claim=reload(claim), reason="  引荐人另有一位，请按分成申报 ", by=county_admin_a)

    saved = reload(claim)
    assert (saved.status, saved.bureau_confirmed_by, saved.county_confirmed_by) == (Status.SUBMITTED, None, None)
    assert (saved.bureau_confirmed_at, saved.county_confirmed_at) == (None, None)
    assert saved.returned_reason == "引荐人另有一位，请按分成申报"
    assert start <= saved.returned_at <= timezone.now()
    assert return_reason(saved) == "引荐人另有一位，请按分成申报"
    timeline = services_timeline(saved)
    assert [(e["kind"], e["reason"]) for e in timeline] == [
        ("file", ""), ("confirm", ""), ("return", "引荐人另有一位，请按分成申报"),
    ]  # fmt: skip
    again = file_reward_claims(project=project, shares=[(zhang, 70), (li, 30)], by=officer_a)
    assert list(RewardClaim.objects.filter(project=project).order_by("id")) == again
    assert [c.amount for c in again] == [Decimal("108.50"), Decimal("46.50")]
    assert [(c.returned_reason, c.returned_at) for c in again] == [("", None), ("", None)]


def test_a_return_stays_on_record_once_the_claim_is_confirmed_again(claim, coordinator, county_admin_a):
    return_reward_claim(claim=claim, reason="请补投资核定报告", by=coordinator)
    returned_at = reload(claim).returned_at

    confirm_reward_claim(claim=reload(claim), by=county_admin_a)

    saved = reload(claim)
    assert (saved.returned_reason, saved.returned_at) == ("请补投资核定报告", returned_at)
    assert return_reason(saved) == ""  # no longer waiting for the unit: the list's 已退回 badge goes


def services_timeline(claim):
    from apps.investment.selectors.rewards import claim_timeline

    return claim_timeline(claim)


def test_a_confirmed_claim_cannot_be_filed_over(claim, project, zhang, coordinator, officer_a):
    confirm_reward_claim(claim=claim, by=coordinator)

    with pytest.raises(BusinessRuleError, match="已在确认或兑付中"):
        file_reward_claims(project=project, shares=[(zhang, 100)], by=officer_a)


def test_a_refusal_is_final(claim, coordinator, county_admin_a, project, zhang, officer_a):
    reject_reward_claim(claim=claim, reason="引荐关系不实", by=county_admin_a)

    saved = reload(claim)
    assert (saved.status, saved.rejected_reason) == (Status.REJECTED, "引荐关系不实")
    assert saved.rejected_at is not None
    assert (saved.returned_reason, saved.returned_at) == ("", None)
    assert services.allowed_actions(reload(claim), coordinator) == []
    with pytest.raises(BusinessRuleError):
        confirm_reward_claim(claim=reload(claim), by=coordinator)
    with pytest.raises(BusinessRuleError, match="已决定不予奖励"):
        file_reward_claims(project=project, shares=[(zhang, 100)], by=officer_a)


def test_payment_needs_joint_confirmation_a_date_and_a_voucher(claim, coordinator, county_admin_a):
    with pytest.raises(BusinessRuleError, match="执行“登记兑付”"):
        pay_reward_claim(claim=claim, paid_on=TODAY, voucher="PZ-1", by=coordinator)
    confirm_reward_claim(claim=claim, by=coordinator)
    confirm_reward_claim(claim=reload(claim), by=county_admin_a)
    with pytest.raises(BusinessRuleError, match="请填写兑付凭证号"):
        pay_reward_claim(claim=reload(claim), paid_on=TODAY, voucher=" ", by=coordinator)
    with pytest.raises(BusinessRuleError, match="不能晚于今天"):
        pay_reward_claim(claim=reload(claim), paid_on=TODAY + timedelta(days=1), voucher="PZ-1", by=coordinator)
    with pytest.raises(BusinessRuleError, match="兑付凭证号不能超过 50 个字符"):
        pay_reward_claim(claim=reload(claim), paid_on=TODAY, voucher="P" * 51, by=coordinator)
    assert (reload(claim).status, reload(claim).voucher_number, reload(claim).paid_by) == (Status.CONFIRMED, "", None)

    pay_reward_claim(claim=reload(claim), paid_on=TODAY, voucher=" 财付〔2026〕18号 ", by=county_admin_a)

    saved = reload(claim)
    assert (saved.status, saved.paid_on, saved.voucher_number, saved.paid_by) == (
        Status.PAID, TODAY, "财付〔2026〕18号", county_admin_a,
    )  # fmt: skip
    assert services_timeline(saved)[-1]["voucher"] == "财付〔2026〕18号"
    assert services.allowed_actions(saved, coordinator) == []


def test_a_stale_page_cannot_overwrite_someone_elses_decision(claim, coordinator, county_admin_a):
    stale = reload(claim)
    reject_reward_claim(claim=claim, reason="重复申报", by=coordinator)

    with pytest.raises(BusinessRuleError, match="刚被其他人处理"):
        confirm_reward_claim(claim=stale, by=county_admin_a)
    assert reload(claim).county_confirmed_by is None


# ---- pages --------------------------------------------------------------------------------


def test_people_without_the_permission_are_refused(client_for, city_leader, audit_admin, client):
    for name in ("investment:introducer_list", "investment:reward_claim_list", "investment:introducer_create"):
        assert client_for(audit_admin).get(reverse(name)).status_code == 403
    assert client_for(city_leader).get(reverse("investment:reward_claim_list")).status_code == 403
    client.logout()
    assert client.get(reverse("investment:reward_claim_list")).status_code == 302


def test_the_introducer_list_masks_filters_and_exports(client_for, officer_a, officer_b, zhang, li):
    register_introducer(unit=officer_b.unit, by=officer_b, kind="person", name="西城引荐人", phone="13700001111")
    client = client_for(officer_a)

    page = client.get(reverse("investment:introducer_list")).content.decode()
    found = client.get(reverse("investment:introducer_list"), {"q": "13812345678"}).content.decode()
    export = client.get(reverse("investment:introducer_list"), {"q": "张", "export": "xlsx"})

    assert "138****5678" in page
    assert "110***********1233" in page
    assert "13812345678" not in page
    assert ID_ZHANG not in page
    assert "西城引荐人" not in page
    assert "张引荐" in found
    assert "李引荐" not in found
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("张引荐", "个人", "138****5678", "110***********1233")
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__what="导出引荐人名录").exists()


def test_the_export_is_in_full_only_for_a_role_allowed_to_see_personal_data(client_for, officer_a, zhang):
    grant_personal_data(officer_a)

    export = client_for(officer_a).get(reverse("investment:introducer_list"), {"export": "xlsx"})

    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][2:4] == ("13812345678", ID_ZHANG)
    assert LogEntry.objects.filter(additional_data__what="导出引荐人名录（含完整个人信息）").exists()


def test_revealing_needs_the_permission_and_is_recorded(client_for, officer_a, officer_b, zhang):
    url = reverse("investment:introducer_reveal", args=[zhang.pk])
    client = client_for(officer_a)
    detail = client.get(reverse("investment:introducer_detail", args=[zhang.pk])).content.decode()
    assert "138****5678" in detail
    assert "13812345678" not in detail
    assert client.post(url, {"field": "phone"}).status_code == 403

    grant_personal_data(officer_a)
    phone = client.post(url, {"field": "phone"}).content.decode()
    id_number = client.post(url, {"field": "id_number"}).content.decode()

    assert "13812345678" in phone
    assert "<html" not in phone
    assert ID_ZHANG in id_number
    whats = set(LogEntry.objects.get_for_object(zhang).values_list("additional_data__what", flat=True))
    assert {"查看引荐人完整联系电话", "查看引荐人完整身份证号"} <= whats
    assert client_for(officer_b).post(url, {"field": "phone"}).status_code == 404


def test_editing_without_the_permission_keeps_personal_data_hidden(client_for, officer_a, zhang):
    client = client_for(officer_a)
    url = reverse("investment:introducer_edit", args=[zhang.pk])

    form = client.get(url).content.decode()
    saved = client.post(url, {"kind": "person", "name": "张引荐", "phone": "", "id_number": "", "registered_on": TODAY})

    assert "13812345678" not in form
    assert "已登记 138****5678" in form
    assert saved.status_code == 302
    assert (Introducer.objects.get(pk=zhang.pk).phone, Introducer.objects.get(pk=zhang.pk).id_number) == (
        "13812345678", ID_ZHANG,
    )  # fmt: skip


def test_registering_an_introducer_through_the_page(client_for, officer_a):
    client = client_for(officer_a)
    data = {"kind": "person", "name": "钱七", "phone": "1381234", "id_number": "", "registered_on": TODAY}

    refused = client.post(reverse("investment:introducer_create"), data)
    done = client.post(reverse("investment:introducer_create"), {**data, "phone": "0551-62345678"})

    assert "联系电话格式不正确" in refused.content.decode()
    introducer = Introducer.objects.get(name="钱七")
    assert done["Location"] == reverse("investment:introducer_detail", args=[introducer.pk])
    assert (introducer.unit, introducer.phone) == (officer_a.unit, "0551-62345678")


def test_another_countys_introducer_and_claim_answer_404(client_for, officer_b, zhang, claim):
    client = client_for(officer_b)

    assert client.get(reverse("investment:introducer_detail", args=[zhang.pk])).status_code == 404
    assert client.post(reverse("investment:introducer_edit", args=[zhang.pk]), {"name": "x"}).status_code == 404
    assert client.get(reverse("investment:reward_claim_detail", args=[claim.pk])).status_code == 404
    assert (
        client.post(
            reverse("investment:reward_claim_act", args=[claim.pk]), {"action": "reject", "reason": "x"}
        ).status_code
        == 404
    )
    assert reload(claim).status == Status.SUBMITTED


def test_filing_through_the_page(client_for, officer_a, project, zhang, li):
    client = client_for(officer_a)
    url = reverse("investment:reward_claim_create", args=[project.pk])
    form = {
        "form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "10",
        "form-0-introducer": zhang.pk, "form-0-share": "60", "form-1-introducer": li.pk, "form-1-share": "30",
        "form-2-introducer": "", "form-2-share": "", "note": "二人共同引荐",
    }  # fmt: skip

    page = client.get(url).content.decode()
    refused = client.post(url, form)
    filed = client.post(url, {**form, "form-1-share": "40"})

    assert "155 万元" in page
    assert "合计须为 100%，现为 90%" in refused.content.decode()
    claims = list(RewardClaim.objects.order_by("id"))
    assert filed["Location"] == reverse("investment:reward_claim_detail", args=[claims[0].pk])
    assert [(c.introducer, c.amount, c.note) for c in claims] == [
        (zhang, Decimal(93), "二人共同引荐"),
        (li, Decimal(62), "二人共同引荐"),
    ]


def test_the_filing_page_explains_why_it_cannot_file_and_refuses_outsiders(
    client_for, officer_a, officer_b, zhang, rule
):
    project = lead(officer_a, introducer=zhang)

    page = client_for(officer_a).get(reverse("investment:reward_claim_create", args=[project.pk]))

    assert 'data-testid="filing-problems"' in page.content.decode()
    assert "项目投产并经确认后才能申报引荐奖励" in page.content.decode()
    assert client_for(officer_b).get(reverse("investment:reward_claim_create", args=[project.pk])).status_code == 404


def test_confirming_and_paying_through_the_pages(client_for, claim, coordinator, county_admin_a):
    url = reverse("investment:reward_claim_act", args=[claim.pk])
    detail = reverse("investment:reward_claim_detail", args=[claim.pk])

    page = client_for(coordinator).get(detail).content.decode()
    client_for(coordinator).post(url, {"action": "confirm"})
    client_for(county_admin_a).post(url, {"action": "confirm"})
    missing = client_for(county_admin_a).post(url, {"action": "pay", "paid_on": TODAY, "voucher": ""})
    client_for(county_admin_a).post(url, {"action": "pay", "paid_on": TODAY, "voucher": "PZ-2026-018"})

    assert "以招商部门身份确认" in page
    assert "1 亿元 × 3‰" in page
    assert "155 万元" in page
    assert "请填写兑付凭证号" in missing.content.decode()
    paid = client_for(coordinator).get(detail).content.decode()
    assert reload(claim).status == Status.PAID
    assert "PZ-2026-018" in paid
    assert 'data-testid="claim-actions"' not in paid


def test_the_claim_list_filters_exports_and_shows_what_the_bureau_sees(
    client_for, claim, officer_a, officer_b, coordinator, rule
):
    west = register_introducer(unit=officer_b.unit, by=officer_b, kind="enterprise", name="西城商会")
    west_claim = file_reward_claims(project=producing(officer_b, west), shares=[(west, 100)], by=officer_b)[0]
    confirm_reward_claim(claim=west_claim, by=coordinator)

    own = client_for(officer_a).get(reverse("investment:reward_claim_list")).content.decode()
    bureau = client_for(coordinator).get(reverse("investment:reward_claim_list")).content.decode()
    waiting = client_for(coordinator).get(reverse("investment:reward_claim_list"), {"waiting": "on"}).content.decode()
    export = client_for(coordinator).get(
        reverse("investment:reward_claim_list"), {"status": Status.BUREAU_CONFIRMED, "export": "xlsx"}
    )

    assert "张引荐" in own
    assert "西城商会" not in own
    assert "张引荐" in bureau
    assert "西城商会" in bureau
    assert "张引荐" in waiting
    assert "西城商会" not in waiting
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [(r[3], r[9], r[10]) for r in rows[1:]] == [("西城商会", "招商部门已确认，待区县确认", coordinator.name)]
    confirmed_at = timezone.localtime(reload(west_claim).bureau_confirmed_at).replace(tzinfo=None)
    assert rows[0][11] == "招商部门确认时间"
    assert abs(rows[1][11] - confirmed_at) < timedelta(seconds=1)  # local time; Excel keeps milliseconds
    assert rows[1][13] in ("", None)  # the county has not confirmed
    year = client_for(coordinator).get(reverse("investment:reward_claim_list"), {"year": TODAY.year - 1}).content
    assert "没有符合条件的引荐奖励" in year.decode()


def test_rules_are_kept_by_the_coordinating_bureau(client_for, officer_a, coordinator):
    data = {"name": "引荐奖励办法", "bands": "0 3\n10000 2\n50000 1.5", "cap": "300", "claim_within_days": "365",
            "valid_from": "2020-01-01"}  # fmt: skip

    assert client_for(officer_a).get(reverse("investment:reward_rule_create")).status_code == 403
    bad = client_for(coordinator).post(reverse("investment:reward_rule_create"), {**data, "bands": "10000 2\n0 3"})
    saved = client_for(coordinator).post(reverse("investment:reward_rule_create"), data)

    assert "分档须从低到高" in bad.content.decode()
    assert saved.status_code == 302
    rule = RewardRule.objects.get()
    assert (rule.bands, rule.cap) == (XUANZHOU, Decimal(300))
    listing = client_for(officer_a).get(reverse("investment:reward_rule_list")).content.decode()
    assert "引荐奖励办法" in listing
    assert reverse("investment:reward_rule_edit", args=[rule.pk]) not in listing


def test_the_calculator_shows_the_computation_of_saved_or_edited_bands(client_for, officer_a, rule):
    client = client_for(officer_a)

    saved = client.get(reverse("investment:reward_rule_try"), {"rule": rule.pk, "amount": "80000"}).content.decode()
    edited = client.get(reverse("investment:reward_rule_try"), {"bands": "0 1", "cap": "50", "amount": "80000"})
    wrong = client.get(reverse("investment:reward_rule_try"), {"bands": "0 -1", "amount": "100"}).content.decode()

    assert "<html" not in saved
    assert "155 万元" in saved
    assert "3 亿元 × 1.5‰" in saved
    assert "超过单个项目上限 50 万元，按上限计" in edited.content.decode()
    assert "第 1 档的比例不能为负数" in wrong


# ---- query counts ---------------------------------------------------------------------------


def test_the_lists_take_the_same_number_of_queries_whatever_their_length(
    client_for, officer_a, coordinator, county_admin_a, zhang, rule, count_queries
):
    client = client_for(coordinator)
    urls = [
        reverse(n)
        for n in ("investment:introducer_list", "investment:reward_claim_list", "investment:reward_rule_list")
    ]

    def add_claim(n):
        introducer = register_introducer(unit=officer_a.unit, by=officer_a, kind="enterprise", name=f"第{n}商会")
        claim = file_reward_claims(project=producing(officer_a, introducer), shares=[(introducer, 100)], by=officer_a)[
            0
        ]
        confirm_reward_claim(claim=claim, by=coordinator)
        return_reward_claim(claim=reload(claim), reason="补材料", by=county_admin_a)

    add_claim(0)
    small = [count_queries(lambda url=url: client.get(url)) for url in urls]
    for n in range(1, 8):
        add_claim(n)
        RewardRule.objects.create(
            name=f"旧办法{n}", bands=XUANZHOU, valid_from=date(2000 + n, 1, 1), valid_to=date(2000 + n, 12, 31)
        )

    assert [count_queries(lambda url=url: client.get(url)) for url in urls] == small


@pytest.fixture
def viewer_a(county_a):
    """Someone of 东城区 who reads projects but holds no reward permission."""
    from apps.org import roles

    return UserFactory(username="viewer_a", unit=county_a, roles=[roles.CITY_LEADER])


@pytest.mark.parametrize(
    ("who", "status", "confirmed"),
    [(None, 302, False), ("officer_b", 404, False), ("viewer_a", 403, False), ("coordinator", 302, True)],
)
def test_confirming_through_the_page_per_role(request, client, claim, who, status, confirmed):
    if who is not None:
        client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("investment:reward_claim_act", args=[claim.pk]), {"action": "confirm"})

    assert response.status_code == status
    assert (reload(claim).status == Status.BUREAU_CONFIRMED) is confirmed


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("officer_b", 404), ("viewer_a", 403), ("officer_a", 302)])
def test_editing_an_introducer_per_role(request, client, zhang, who, status):
    if who is not None:
        client.force_login(request.getfixturevalue(who))
    data = {"kind": "person", "name": "张改名", "registered_on": TODAY}

    response = client.post(reverse("investment:introducer_edit", args=[zhang.pk]), data)

    assert response.status_code == status
    assert (Introducer.objects.get(pk=zhang.pk).name == "张改名") is (who == "officer_a")


def test_returning_through_the_page_shows_the_reason_and_prefills_the_new_filing(
    client_for, claim, coordinator, officer_a
):
    url = reverse("investment:reward_claim_act", args=[claim.pk])

    refused = client_for(coordinator).post(url, {"action": "return", "reason": ""})
    returned = client_for(coordinator).post(url, {"action": "return", "reason": "请附投资核定报告"})

    assert "退回须写明理由" in refused.content.decode()
    assert returned.status_code == 302
    detail = client_for(officer_a).get(reverse("investment:reward_claim_detail", args=[claim.pk])).content.decode()
    assert "已退回：请附投资核定报告" in detail
    listing = client_for(officer_a).get(reverse("investment:reward_claim_list")).content.decode()
    assert 'title="请附投资核定报告"' in listing
    again = client_for(officer_a).get(reverse("investment:reward_claim_create", args=[claim.project.pk]))
    assert 'name="form-0-share" value="100"' in again.content.decode()


def test_the_pages_and_the_export_read_the_claims_own_records_not_the_audit_trail(
    client_for, claim, li, officer_a, coordinator, county_admin_a
):
    """The audit trail is pruned by its own rules: what a claim's transitions decided must not depend on it."""
    confirm_reward_claim(claim=claim, by=coordinator)
    confirm_reward_claim(claim=reload(claim), by=county_admin_a)
    pay_reward_claim(claim=reload(claim), paid_on=TODAY, voucher="财付〔2026〕18号", by=county_admin_a)
    other = file_reward_claims(project=producing(officer_a, li), shares=[(li, 100)], by=officer_a)[0]
    return_reward_claim(claim=other, reason="请附投资核定报告", by=coordinator)
    LogEntry.objects.filter(content_type__model="rewardclaim").delete()
    client = client_for(coordinator)

    paid = client.get(reverse("investment:reward_claim_detail", args=[claim.pk])).content.decode()
    returned = client.get(reverse("investment:reward_claim_detail", args=[other.pk])).content.decode()
    listing = client.get(reverse("investment:reward_claim_list")).content.decode()
    export = client.get(reverse("investment:reward_claim_list"), {"export": "xlsx"})

    confirmed = timezone.localtime(reload(claim).bureau_confirmed_at)
    assert "财付〔2026〕18号" in paid
    assert f"{confirmed.year}年{confirmed.month}月{confirmed.day}日 {confirmed:%H:%M}" in paid
    assert f"{county_admin_a.name} 登记" in paid
    assert "已退回：请附投资核定报告" in returned
    assert 'title="请附投资核定报告"' in listing
    rows = {r[3]: r for r in list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))[1:]}
    assert (rows["张引荐"][17], rows["张引荐"][14] or "") == ("财付〔2026〕18号", "")
    assert (rows["李引荐"][14], rows["李引荐"][17] or "") == ("请附投资核定报告", "")


def test_a_refusal_shows_its_reason_on_the_claim(client_for, claim, coordinator, officer_a):
    client_for(coordinator).post(
        reverse("investment:reward_claim_act", args=[claim.pk]), {"action": "reject", "reason": "引荐关系不实"}
    )

    page = client_for(officer_a).get(reverse("investment:reward_claim_detail", args=[claim.pk])).content.decode()

    assert reload(claim).rejected_reason == "引荐关系不实"
    assert 'data-testid="claim-rejected">引荐关系不实' in page


def test_the_project_page_offers_filing_to_its_own_unit_when_it_has_an_introducer(
    client_for, project, officer_a, viewer_a
):
    without = lead(officer_a)
    filing = reverse("investment:reward_claim_create", args=[project.pk])

    own = client_for(officer_a).get(reverse("investment:project_detail", args=[project.pk])).content.decode()
    reader = client_for(viewer_a).get(reverse("investment:project_detail", args=[project.pk])).content.decode()
    plain = client_for(officer_a).get(reverse("investment:project_detail", args=[without.pk])).content.decode()

    assert f'href="{filing}"' in own
    assert "申报引荐奖励" in own
    assert filing not in reader  # owns the project but may not file rewards
    assert reverse("investment:reward_claim_create", args=[without.pk]) not in plain


def test_the_home_page_lists_rewards_waiting_for_the_user(client_for, claim, coordinator, county_admin_a, officer_a):
    home = reverse("core:home")

    waiting = client_for(coordinator).get(home).content.decode()
    applicant = client_for(officer_a).get(home).content.decode()
    confirm_reward_claim(claim=claim, by=coordinator)
    confirm_reward_claim(claim=reload(claim), by=county_admin_a)
    to_pay = client_for(coordinator).get(home).content.decode()

    assert "待确认的引荐奖励" in waiting
    assert "待确认的引荐奖励" not in applicant  # nobody confirms their own filing
    assert "已联合确认、待兑付的引荐奖励" in to_pay
    assert "待确认的引荐奖励" not in to_pay
