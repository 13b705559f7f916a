"""The assessment's figures in templates (apps/assessment/figures.py): counts as 个, amounts in 万元/亿元,
rates and completion as %."""

from django import template

from apps.assessment import figures

register = template.Library()
register.filter("figure", figures.figure)
register.filter("percent", figures.percent)
register.filter("arrow", figures.arrow)
