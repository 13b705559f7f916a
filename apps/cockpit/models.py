"""The region map the cockpit draws: a GeoJSON of a city's counties uploaded by an administrator."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class RegionMapQuerySet(ScopedQuerySet):
    def active(self) -> "RegionMapQuerySet":
        return self.filter(active=True)


class RegionMap(models.Model):
    """A FeatureCollection of a unit's areas; ``mapping`` names the unit (by id) each feature's name stands for."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("地图名称"), max_length=100)
    geojson = models.JSONField(_("GeoJSON"))
    name_property = models.CharField(_("名称属性"), max_length=50, default="name")
    #: feature name → unit id
    mapping = models.JSONField(_("区域与单位对应"), default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    active = models.BooleanField(_("启用"), default=False)

    objects = RegionMapQuerySet.as_manager()

    class Meta:
        verbose_name = _("区划地图")
        verbose_name_plural = _("区划地图")
        ordering = ["-uploaded_at", "-id"]
        default_permissions = ("view",)
        permissions = [
            ("manage_regionmap", _("上传和启用区划地图")),
            ("view_cockpit", _("查看领导驾驶舱")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(active=True), name="cockpit_one_active_map_per_unit")
        ]

    def __str__(self) -> str:
        return self.name
