"""Credit red/black lists (信用红黑名单): enterprises listed for honouring their obligations (红名单, 守信激励) or
for serious dishonesty (黑名单, 失信惩戒), the effects those listings have, and where they were applied.

Entries are city-wide public-administration information (the lists are published, e.g. on 信用中国): they
belong to no unit's data scope, every staff user holding ``view_creditentry`` reads them all; the unit that
recorded an entry (or the city's supervising office) corrects it. Whether an entry is in force is computed from
the dates on every read (``CreditEntryQuerySet.in_force``), never stored, so an entry stops its effects on the
day after ``expires_on`` without a scan. A repair (信用修复) approved by a second person keeps the entry and
marks it 已修复移出 (``repaired_at``). Every effect applied is a CreditEffectLog line.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: the 「即将到期」 filter of the ledger: expiring within this many calendar days
EXPIRING_DAYS = 30


class CreditKind(models.TextChoices):
    RED = "red", _("红名单（守信激励）")
    BLACK = "black", _("黑名单（失信惩戒）")


class CreditState(models.TextChoices):
    """An entry's state on a day, computed from its dates and its repair."""

    PENDING = "pending", _("尚未生效")
    IN_FORCE = "in_force", _("有效")
    EXPIRED = "expired", _("已到期")
    REPAIRED = "repaired", _("已修复移出")


class CreditEntryQuerySet(models.QuerySet):
    def in_force(self, today: date) -> "CreditEntryQuerySet":
        """Entries whose effects apply today: effective, not expired, not repaired."""
        return self.filter(self.state_condition(CreditState.IN_FORCE, today))

    def in_state(self, state: str, today: date) -> "CreditEntryQuerySet":
        """Entries in the (computed) state on the day."""
        return self.filter(self.state_condition(state, today))

    @staticmethod
    def state_condition(state: str, today: date) -> Q:
        """The condition of an entry being in the state on the day (the one rule, also in ``state_on``)."""
        not_repaired = Q(repaired_at__isnull=True)
        not_expired = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        conditions = {
            CreditState.REPAIRED: Q(repaired_at__isnull=False),
            CreditState.EXPIRED: not_repaired & Q(expires_on__lt=today),
            CreditState.PENDING: not_repaired & not_expired & Q(effective_from__gt=today),
            CreditState.IN_FORCE: not_repaired & not_expired & Q(effective_from__lte=today),
        }
        return conditions[state]

    def expiring(self, today: date, days: int = EXPIRING_DAYS) -> "CreditEntryQuerySet":
        """Entries in force that expire within ``days`` days."""
        return self.in_force(today).filter(expires_on__lte=today + timedelta(days=days))

    def search(self, text: str) -> "CreditEntryQuerySet":
        """Entries of an enterprise whose name or USCC contains the text, or with that document number."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(enterprise__name__icontains=text)
            | Q(enterprise__uscc__icontains=text.upper())
            | Q(document_number__icontains=text)
        )


class CreditEntry(models.Model):
    """信用名单条目: one listing of one enterprise."""

    class Source(models.TextChoices):
        CREDIT_CHINA = "credit_china", _("信用中国")
        TAX_A = "tax_a", _("税务A级纳税人")
        CUSTOMS_AEO = "customs_aeo", _("海关高级认证企业")
        COURT = "court", _("法院失信被执行人")
        MARKET = "market", _("市场监管严重违法失信名单")
        LOCAL = "local", _("本市认定")

    #: the lists each source may give (a court never red-lists, the tax office's A grade is never black)
    SOURCE_KINDS = {
        Source.CREDIT_CHINA: (CreditKind.RED, CreditKind.BLACK),
        Source.TAX_A: (CreditKind.RED,),
        Source.CUSTOMS_AEO: (CreditKind.RED,),
        Source.COURT: (CreditKind.BLACK,),
        Source.MARKET: (CreditKind.BLACK,),
        Source.LOCAL: (CreditKind.RED, CreditKind.BLACK),
    }

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_entries"
    )
    kind = models.CharField(_("名单"), max_length=5, choices=CreditKind.choices)
    source = models.CharField(_("来源"), max_length=14, choices=Source.choices)
    reason = models.TextField(_("列入原因"))
    legal_basis = models.CharField(_("认定依据"), max_length=200)
    document_number = models.CharField(_("认定文书号"), max_length=100)
    decided_on = models.DateField(_("认定日期"))
    effective_from = models.DateField(_("生效日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("含当日；不填为长期有效"))
    recording_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    repaired_at = models.DateTimeField(_("修复移出时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CreditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用名单条目")
        verbose_name_plural = _("信用名单条目")
        ordering = ["-decided_on", "-id"]
        permissions = [
            ("manage_credit", _("登记、导入、修改信用名单条目，申请信用修复")),
            ("approve_credit_repair", _("审核信用修复申请")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "source", "document_number"], name="supervision_credit_entry_once"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("effective_from")),
                name="supervision_credit_expires_after_effective",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "kind"], name="supervision_credit_enterprise"),  # marks of a page
            models.Index(fields=["expires_on"], name="supervision_credit_expires"),  # 即将到期, 已到期 filters
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.enterprise.name}"

    @property
    def is_black(self) -> bool:
        return self.kind == CreditKind.BLACK

    def state_on(self, today: date) -> str:
        """The entry's state on the day (the same rule as ``CreditEntryQuerySet.state_condition``)."""
        if self.repaired_at is not None:
            return CreditState.REPAIRED
        if self.expires_on is not None and self.expires_on < today:
            return CreditState.EXPIRED
        return CreditState.PENDING if self.effective_from > today else CreditState.IN_FORCE


class CreditEvent(models.Model):
    """One line of an entry's history (append-only)."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记")
        IMPORT = "import", _("导入")
        UPDATE = "update", _("修改")
        REPAIR_REQUEST = "repair_request", _("申请信用修复")
        REPAIR_APPROVE = "repair_approve", _("批准信用修复")
        REPAIR_REJECT = "repair_reject", _("驳回信用修复")

    entry = models.ForeignKey(CreditEntry, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("信用名单记录")
        verbose_name_plural = _("信用名单记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.action}"


class CreditRepair(models.Model):
    """信用修复申请: asked with a reason and evidence, decided by a second person holding the right."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    entry = models.ForeignKey(CreditEntry, on_delete=models.CASCADE, related_name="repairs")
    reason = models.TextField(_("修复理由"))
    evidence = models.FileField(_("修复佐证材料"), upload_to="supervision/credit/%Y/%m/")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="requested"), name="supervision_one_open_credit_repair"
            ),
            models.CheckConstraint(
                condition=Q(status="requested")
                | (Q(decided_by__isnull=False) & ~Q(decided_by=models.F("requested_by"))),
                name="supervision_credit_repair_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.get_status_display()}"

    @property
    def evidence_filename(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""


class CreditPlace(models.TextChoices):
    """Where a listing has effect."""

    SCREENING = "screening", _("项目选商")
    FULFILMENT = "fulfilment", _("政策兑现")
    DISPLAY = "display", _("企业展示（企业页面、企业名录、项目页面）")


class CreditEffect(models.TextChoices):
    NONE = "none", _("无")
    FLAG = "flag", _("警示")
    BLOCK = "block", _("限制（不予兑现）")
    FAST_LANE = "fast_lane", _("绿色通道")


class CreditEffectRule(models.Model):
    """联合奖惩措施: what a list means at a place; seeded by the migration, edited by the supervising office."""

    #: the effects each list may have at each place (blocking only where a benefit is granted)
    ALLOWED = {
        (CreditKind.BLACK, CreditPlace.SCREENING): (CreditEffect.NONE, CreditEffect.FLAG),
        (CreditKind.BLACK, CreditPlace.FULFILMENT): (CreditEffect.NONE, CreditEffect.FLAG, CreditEffect.BLOCK),
        (CreditKind.BLACK, CreditPlace.DISPLAY): (CreditEffect.NONE, CreditEffect.FLAG),
        (CreditKind.RED, CreditPlace.SCREENING): (CreditEffect.NONE, CreditEffect.FAST_LANE),
        (CreditKind.RED, CreditPlace.FULFILMENT): (CreditEffect.NONE, CreditEffect.FAST_LANE),
        (CreditKind.RED, CreditPlace.DISPLAY): (CreditEffect.NONE, CreditEffect.FAST_LANE),
    }

    kind = models.CharField(_("名单"), max_length=5, choices=CreditKind.choices)
    place = models.CharField(_("应用场景"), max_length=10, choices=CreditPlace.choices)
    effect = models.CharField(_("措施"), max_length=10, choices=CreditEffect.choices)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("信用联合奖惩规则")
        verbose_name_plural = _("信用联合奖惩规则")
        ordering = ["kind", "place"]
        constraints = [models.UniqueConstraint(fields=["kind", "place"], name="supervision_one_credit_rule")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_place_display()}：{self.get_effect_display()}"


class CreditEffectLog(models.Model):
    """An effect applied for an entry: where, to what, when (one line per entry, place, object and day)."""

    entry = models.ForeignKey(CreditEntry, on_delete=models.CASCADE, related_name="effect_logs")
    place = models.CharField(_("应用场景"), max_length=10, choices=CreditPlace.choices)
    effect = models.CharField(_("措施"), max_length=10, choices=CreditEffect.choices)
    #: what the effect was applied to: "investment.project:12", "enterprises.enterprise:5", "policies.…"
    object_key = models.CharField(_("对象"), max_length=100)
    object_label = models.CharField(_("对象名称"), max_length=200)
    object_url = models.CharField(_("对象链接"), max_length=200, blank=True)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("信用措施应用记录")
        verbose_name_plural = _("信用措施应用记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "place", "effect", "object_key", "on"], name="supervision_credit_effect_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.place} {self.effect} {self.object_key}"
