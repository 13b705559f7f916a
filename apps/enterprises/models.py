"""The enterprise registry: one record per real enterprise, and the name index that finds it.

Identity (names, USCC, region, industry, tags, group) is public to every staff user: that is what
lets anyone see that an enterprise is already registered. Contacts belong to the unit that
recorded them and follow the data scope.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.masking import mask_phone
from apps.core.models import ImportRecord
from apps.core.scope import ScopedQuerySet


class Industry(models.Model):
    """A node of GB/T 4754-2017 国民经济行业分类: section (门类, a letter), division (大类, 2 digits) …"""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    code = models.CharField(_("代码"), max_length=5, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name=_("上级"), on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tag(models.Model):
    """A label such as 世界500强 or 专精特新; administrators may add more."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_builtin = models.BooleanField(_("内置"), default=False, editable=False)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["id"]
        permissions = [("manage_tag", _("管理企业标签"))]

    def __str__(self) -> str:
        return self.name


class EnterpriseQuerySet(models.QuerySet):
    def active(self) -> "EnterpriseQuerySet":
        """Enterprises in the registry (not merged into another record)."""
        return self.filter(status=Enterprise.Status.ACTIVE)

    def with_tag(self, tag: "Tag") -> "EnterpriseQuerySet":
        """Enterprises carrying the tag."""
        return self.filter(tags=tag)

    def in_industry(self, industry: "Industry") -> "EnterpriseQuerySet":
        """Enterprises classified under the industry node or anywhere below it."""
        below = models.Q(industry=industry)
        for depth in range(1, 4):
            below |= models.Q(**{"industry" + "__parent" * depth: industry})
        return self.filter(below)


class Enterprise(models.Model):
    """A legal entity (企业法人 or 分支机构) known to the city."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        MERGED = "merged", _("已合并")

    class GroupRole(models.TextChoices):
        INDEPENDENT = "independent", _("独立企业")
        SUBSIDIARY = "subsidiary", _("子公司")
        BRANCH = "branch", _("分支机构")

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    legal_form = models.CharField(_("组织形式"), max_length=30, blank=True)
    region_code = models.CharField(_("注册地行政区划代码"), max_length=12, blank=True)
    region_name = models.CharField(_("注册地"), max_length=60, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    business_scope = models.TextField(_("经营范围"), blank=True)
    industry = models.ForeignKey(Industry, verbose_name=_("所属行业"), on_delete=models.PROTECT, null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="enterprises")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("子公司填母公司，分支机构填其所属企业。"),
    )
    group_role = models.CharField(
        _("集团关系"), max_length=12, choices=GroupRole.choices, default=GroupRole.INDEPENDENT
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并到"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: normalised forms of ``name`` (apps/enterprises/matching); kept in step by the services
    name_clean = models.CharField(max_length=200, editable=False, db_index=True)  # serves exact-name lookup
    name_core = models.CharField(max_length=200, editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["id"]
        permissions = [("merge_enterprise", _("合并重复企业")), ("import_enterprise", _("导入企业名录"))]

    def __str__(self) -> str:
        return self.name


class EnterpriseName(models.Model):
    """Every name an enterprise is known by; each one is indexed for matching."""

    class Kind(models.TextChoices):
        FULL = "full", _("全称")
        FORMER = "former", _("曾用名")
        SHORT = "short", _("简称")
        ENGLISH = "english", _("英文名称")
        OTHER = "other", _("其他叫法")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    name_clean = models.CharField(max_length=200, editable=False, db_index=True)  # serves exact alias lookup
    pinyin_initials = models.CharField(max_length=100, editable=False, blank=True, db_index=True)  # hwjs → 华为技术

    class Meta:
        verbose_name = _("企业名称")
        verbose_name_plural = _("企业名称")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="unique_enterprise_name")]

    def __str__(self) -> str:
        return self.name


class NameGram(models.Model):
    """Character bigram → enterprise: the inverted index behind candidate retrieval."""

    pk = models.CompositePrimaryKey("gram", "enterprise")
    gram = models.CharField(max_length=2)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("名称索引")
        verbose_name_plural = _("名称索引")

    def __str__(self) -> str:
        return self.gram


class GramStat(models.Model):
    """How many enterprises carry a gram (document frequency), for IDF weighting."""

    gram = models.CharField(max_length=2, primary_key=True)
    enterprises = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.gram}: {self.enterprises}"


class ContactQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class Contact(models.Model):
    """A person to talk to at an enterprise, recorded by (and visible to) one unit's subtree."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey("org.Unit", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class DuplicateSuggestion(models.Model):
    """A pair the matcher thinks may be one enterprise (or one group), waiting for a person to decide."""

    class Verdict(models.TextChoices):
        SAME = "same", _("同一企业")
        GROUP = "group", _("同一集团")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        MERGED = "merged", _("已合并")
        DISMISSED = "dismissed", _("不是重复")

    first = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("判断"), max_length=10, choices=Verdict.choices)
    score = models.FloatField(_("得分"))
    reasons = models.JSONField(_("理由"), default=list)
    source = models.CharField(_("来源"), max_length=20)  # "import", "scan", "register"
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("疑似重复")
        verbose_name_plural = _("疑似重复")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_duplicate_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.get_verdict_display()})"


class Merge(models.Model):
    """One merge of a duplicate into a surviving record, with what was moved so it can be undone."""

    survivor = models.ForeignKey(Enterprise, verbose_name=_("保留企业"), on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Enterprise, verbose_name=_("被合并企业"), on_delete=models.PROTECT, related_name="+")
    suggestion = models.ForeignKey(
        DuplicateSuggestion,
        verbose_name=_("疑似重复"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: {"app_label.Model.field": [pk, …]} of every reference moved from ``merged`` to ``survivor``
    moved = models.JSONField(default=dict)
    #: names, tags and identity fields the survivor took over, to restore on undo
    snapshot = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("企业合并")
        verbose_name_plural = _("企业合并")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class RegistryImportQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class RegistryImport(ImportRecord):
    """An Excel registry extract on its way in: checked row by row in the background, then committed at once."""

    created_count = models.PositiveIntegerField(_("新增企业数"), default=0)
    matched_count = models.PositiveIntegerField(_("匹配已有企业数"), default=0)

    objects = RegistryImportQuerySet.as_manager()

    class Meta(ImportRecord.Meta):
        verbose_name = _("企业名录导入")
        verbose_name_plural = _("企业名录导入")


class DuplicateScan(models.Model):
    """One batch scan of the whole registry for duplicates, run by the task worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("扫描中")
        FINISHED = "finished", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("阶段"), max_length=50, blank=True)
    total = models.PositiveIntegerField(_("企业数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    pairs = models.PositiveIntegerField(_("比对的名称对"), default=0)
    clusters = models.PositiveIntegerField(_("疑似重复组"), default=0)
    suggestions = models.PositiveIntegerField(_("新增疑似重复"), default=0)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("重复扫描")
        verbose_name_plural = _("重复扫描")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}


class AnnualFigures(models.Model):
    """An enterprise's figures for one year as the departments report them (统计、税务部门): what policy rules
    and chain strength read. Missing figures are unknown, never zero."""

    class Scale(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("年度"))
    scale = models.CharField(_("企业规模（统计划型）"), max_length=10, choices=Scale.choices, blank=True)
    revenue = models.DecimalField(_("营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    tax = models.DecimalField(_("纳税额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    rd_expense = models.DecimalField(_("研发费用（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["enterprise", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="unique_enterprise_year_figures")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class EnterpriseAccount(models.Model):
    """A portal user (role 企业用户) acting for an enterprise: what the portal's pages show and act on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="enterprise_account"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="portal_accounts"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核验人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("开通时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业门户账号")
        verbose_name_plural = _("企业门户账号")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.enterprise_id}"


class ServiceOfficer(models.Model):
    """A government officer assigned to look after an enterprise (企业服务官, 一企一专员)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="service_officers"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("服务官"), on_delete=models.PROTECT, related_name="served_enterprises"
    )
    since = models.DateField(_("联系起始日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业服务官")
        verbose_name_plural = _("企业服务官")
        constraints = [models.UniqueConstraint(fields=["enterprise", "officer"], name="unique_service_officer")]

    def __str__(self) -> str:
        return f"{self.officer_id} → {self.enterprise_id}"
