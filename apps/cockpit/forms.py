from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.org.models import Unit


class RegionMapUploadForm(StyledFormMixin, forms.Form):
    """The shape of an upload; what the GeoJSON says is checked by services.upload_region_map."""

    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none(), empty_label=None)
    name = forms.CharField(label=_("地图名称"), max_length=100)
    name_property = forms.CharField(
        label=_("名称属性"), max_length=50, initial="name", help_text=_("各区域 properties 中写区县名称的属性，如 name")
    )
    file = forms.FileField(
        label=_("GeoJSON 文件"), help_text=_("FeatureCollection，区域为 Polygon 或 MultiPolygon，不超过 5 MB")
    )
    activate = forms.BooleanField(label=_("上传后立即启用"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = (Unit.Kind.CITY, Unit.Kind.COUNTY)
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user).filter(kind__in=kinds, is_active=True).order_by("path")
        )
