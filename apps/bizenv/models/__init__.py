from apps.bizenv.models.indicators import Indicator, Methodology

__all__ = ["Indicator", "Methodology"]
