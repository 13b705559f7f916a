"""Projects (招商项目) from lead to full capacity, the timeline of their stages, and what is recorded on them.

A project's ``stage`` is what its unit has reported; ``counted_stage`` is the furthest stage the
level above has confirmed, which is what every KPI counts (a stage that needs no confirmation counts
at once). Stage dates follow the same split: each StageChange carries the date of the event (the
signing day, the start of construction) and its approval.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    INTENTION = "intention", _("意向")
    NEGOTIATION = "negotiation", _("洽谈")
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")
    AT_CAPACITY = "at_capacity", _("达产")

    @classmethod
    def ordered(cls) -> list["Stage"]:
        return list(cls)

    @property
    def rank(self) -> int:
        return list(Stage).index(self)

    def next(self) -> "Stage | None":
        stages = list(Stage)
        return stages[self.rank + 1] if self.rank + 1 < len(stages) else None


class Channel(models.TextChoices):
    PROFESSIONAL = "professional", _("专业招商")
    EXPO = "expo", _("节会招商")
    BUSINESS = "business", _("以商招商")
    PUBLIC = "public", _("全民招商")
    AGENCY = "agency", _("中介招商")
    TEAM = "team", _("小分队")
    SUPERIOR = "superior", _("上级推送")
    OTHER = "other", _("其他")


class ProjectQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("participants__unit",)

    def open(self) -> "ProjectQuerySet":
        """Projects still moving (not paused, not dropped)."""
        return self.filter(status=Project.Status.ACTIVE)

    def counted_at_least(self, stage: Stage) -> "ProjectQuerySet":
        """Projects whose confirmed stage has reached ``stage``."""
        return self.filter(counted_stage__in=[s for s in Stage if s.rank >= Stage(stage).rank])

    def in_unit(self, unit) -> "ProjectQuerySet":
        """Projects owned by the unit or a unit below it."""
        return self.filter(unit__path__startswith=unit.path)


class Project(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("推进中")
        PAUSED = "paused", _("暂停")
        DROPPED = "dropped", _("终止")

    class Kind(models.TextChoices):
        NEW = "new", _("新建")
        EXPANSION = "expansion", _("增资扩建")
        UPGRADE = "upgrade", _("升格")

    code = models.CharField(_("项目编号"), max_length=20, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("投资企业"), on_delete=models.PROTECT, related_name="projects"
    )
    industry = models.ForeignKey(
        "enterprises.Industry", verbose_name=_("所属行业"), on_delete=models.PROTECT, null=True, blank=True
    )
    channel = models.CharField(_("线索来源"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("项目类型"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    description = models.TextField(_("项目内容与诉求"), blank=True)
    introducer = models.ForeignKey(
        "investment.Introducer", verbose_name=_("引荐人"), on_delete=models.PROTECT, null=True, blank=True
    )
    team = models.ForeignKey(
        "investment.Team", verbose_name=_("招商小分队"), on_delete=models.SET_NULL, null=True, blank=True
    )
    event = models.ForeignKey(
        "investment.Event",
        verbose_name=_("签约活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    # money and the four accounts (产业、税收、就业、环境), amounts in 万元
    planned_investment = models.DecimalField(
        _("计划投资（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contracted_investment = models.DecimalField(
        _("协议投资（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    #: for an expansion or upgrade: the investment already counted before, so only the increment counts
    counted_before = models.DecimalField(
        _("此前已统计投资（万元）"), max_digits=14, decimal_places=2, default=0, blank=True
    )
    fixed_asset_investment = models.DecimalField(
        _("固定资产投资（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    investor_out_of_province = models.BooleanField(_("省外投资"), default=False)
    investor_foreign = models.BooleanField(_("外资"), default=False)
    expected_tax = models.DecimalField(_("预计年税收（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    expected_jobs = models.PositiveIntegerField(_("预计就业（人）"), null=True, blank=True)
    energy_use = models.DecimalField(
        _("年综合能耗（吨标准煤）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    land_area = models.DecimalField(_("用地（亩）"), max_digits=10, decimal_places=2, null=True, blank=True)
    # where it stands
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    counted_stage = models.CharField(_("已确认阶段"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("暂停或终止原因"), max_length=200, blank=True)
    excluded_from_statistics = models.BooleanField(_("不纳入招商统计"), default=False)
    # confirmed event dates (the date the event happened, once the stage counts)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    at_capacity_on = models.DateField(_("达产日期"), null=True, blank=True)
    # lead handling (响应、研判)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级提醒时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_stage", _("确认项目阶段")),
            ("import_project", _("导入项目台账")),
            ("view_kpi", _("查看招商指标")),
        ]
        indexes = [
            models.Index(fields=["counted_stage", "status"], name="project_counted_stage"),  # KPIs and board
            models.Index(fields=["signed_on"], name="project_signed_on"),  # signed in a period
            models.Index(fields=["-created_at", "-id"], name="project_newest"),  # the lists' order
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counted_investment(self):
        """协议投资 that counts for this project: for an expansion or upgrade only the increment (不重复统计)."""
        if self.contracted_investment is None:
            return None
        return max(self.contracted_investment - (self.counted_before or 0), 0)


class ProjectParticipant(models.Model):
    """A unit that takes part in a project besides its owner (协办单位, a department's service)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("org.Unit", verbose_name=_("参与单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("职责"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("项目参与单位")
        verbose_name_plural = _("项目参与单位")
        constraints = [models.UniqueConstraint(fields=["project", "unit"], name="unique_project_participant")]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.unit_id}"


class StageChange(models.Model):
    """One move on a project's timeline: a stage reached, a pause, a resumption or the end."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("登记线索")
        ADVANCE = "advance", _("推进阶段")
        PAUSE = "pause", _("暂停")
        RESUME = "resume", _("恢复推进")
        DROP = "drop", _("终止")
        IMPORT = "import", _("台账导入")

    class Approval(models.TextChoices):
        NOT_REQUIRED = "not_required", _("无需确认")
        PENDING = "pending", _("待确认")
        APPROVED = "approved", _("已确认")
        RETURNED = "returned", _("已退回")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("变动"), max_length=10, choices=Kind.choices)
    from_stage = models.CharField(_("原阶段"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=12, choices=Stage.choices, blank=True)
    happened_on = models.DateField(_("发生日期"))
    reason = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("操作时间"), auto_now_add=True)
    approval = models.CharField(_("确认"), max_length=12, choices=Approval.choices, default=Approval.NOT_REQUIRED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    opinion = models.TextField(_("确认意见"), blank=True)

    class Meta:
        verbose_name = _("项目动态")
        verbose_name_plural = _("项目动态")
        ordering = ["at", "id"]
        constraints = [
            # one claim of a stage waits for confirmation at a time
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(approval="pending"), name="one_pending_stage_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_kind_display()} {self.to_stage}"


class ProjectDocument(models.Model):
    """Evidence on a project: the signed contract, the construction permit, photos …"""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("投资协议（合同）")
        LAND = "land", _("土地出让合同或用地手续")
        PERMIT = "permit", _("施工许可证")
        START_PHOTO = "start_photo", _("开工现场照片")
        ACCEPTANCE = "acceptance", _("竣工验收材料")
        PRODUCTION = "production", _("投产证明")
        FUNDS = "funds", _("资金到位凭证")
        OTHER = "other", _("其他材料")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to="investment/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目材料")
        verbose_name_plural = _("项目材料")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class NegotiationRound(models.Model):
    """One round of talks (洽谈记录)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="negotiations")
    held_on = models.DateField(_("洽谈日期"))
    place = models.CharField(_("地点"), max_length=100)
    our_participants = models.CharField(_("我方人员"), max_length=300)
    our_leaders = models.CharField(_("我方领导"), max_length=200, blank=True)
    their_participants = models.CharField(_("对方人员"), max_length=300, blank=True)
    content = models.TextField(_("洽谈内容"))
    open_questions = models.TextField(_("待解决问题"), blank=True)
    next_step = models.CharField(_("下一步工作"), max_length=300, blank=True)
    next_on = models.DateField(_("下次洽谈日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("洽谈记录")
        verbose_name_plural = _("洽谈记录")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.held_on}"


class FundRecord(models.Model):
    """Investment in place in one month (到位资金), with its out-of-province and foreign parts, in 万元."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funds")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    amount = models.DecimalField(_("当月到位资金（万元）"), max_digits=14, decimal_places=2)
    out_of_province = models.DecimalField(_("其中省外资金（万元）"), max_digits=14, decimal_places=2, default=0)
    foreign = models.DecimalField(_("其中外资（万元）"), max_digits=14, decimal_places=2, default=0)
    fixed_asset = models.DecimalField(_("当月完成固定资产投资（万元）"), max_digits=14, decimal_places=2, default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)

    class Meta:
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        ordering = ["-month", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="one_fund_record_per_month"),
            models.CheckConstraint(
                condition=models.Q(out_of_province__lte=models.F("amount"), foreign__lte=models.F("amount")),
                name="fund_parts_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["month"], name="fund_month")]  # funds in place in a period

    def __str__(self) -> str:
        return f"{self.project_id} · {self.month:%Y-%m}"
