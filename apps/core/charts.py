"""Charts for generated documents (bulletins, analyses): PNG bytes drawn by matplotlib.

The figures are built with ``matplotlib.figure.Figure`` and rendered by the Agg canvas directly, never through
``pyplot``: no GUI backend is loaded and no global figure state is shared between requests or task threads.
Chinese text uses Noto Sans CJK SC from Debian's fonts-noto-cjk, found through matplotlib's font manager; without
it matplotlib would draw empty boxes, so a missing font is an error, not a fallback.

Output is deterministic for the same input: fixed size and resolution, no timestamp or software name in the PNG.
A chart's physical size in millimetres is meant to equal the width the document gives its image, so that the
chart's 9 pt text is 9 pt on paper.
"""

import io
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import matplotlib
from django.utils.translation import gettext as _
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

CJK_FONT_FAMILY = "Noto Sans CJK SC"
DPI = 150  # print quality for office printers; 200 would cost a bulletin of 100 units about 0.6 s more
MM_PER_INCH = 25.4
DEFAULT_WIDTH_MM = 156.0  # the type area of an A4 official document (GB/T 9704: 210 − 28 − 26 mm)
FONT_SIZE = 9
BAR_COLOUR = "#2f6fb0"
BEHIND_COLOUR = "#c0392b"  # a bar below the reference line (e.g. behind 序时进度)
REFERENCE_COLOUR = "#e67e22"
#: millimetres of a bar chart: fixed margins for title, axis and legend, then one band per unit
BAR_CHART_MARGIN_MM = 25.0
BAR_BAND_MM = 8.0


class ChartFontError(RuntimeError):
    """The CJK font that charts need is not installed."""


@lru_cache(maxsize=4)
def find_cjk_font(family: str = CJK_FONT_FAMILY) -> str:
    """The file of ``family`` as matplotlib's font manager knows it; ChartFontError when it is absent."""
    properties = font_manager.FontProperties(family=family)
    try:
        return font_manager.findfont(properties, fallback_to_default=False)
    except ValueError:
        pass
    # matplotlib caches the fonts it found on its first run: a font installed after that needs a fresh scan, in
    # place, since matplotlib's functions hold the instance, and saved so the next process starts from it
    font_manager.fontManager.__init__()
    cache = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
    font_manager.json_dump(font_manager.fontManager, cache)
    try:
        return font_manager.findfont(properties, fallback_to_default=False)
    except ValueError as exc:
        raise ChartFontError(
            _("图表需要中文字体 %(family)s，但没有找到。请安装 Debian 软件包 fonts-noto-cjk（见 docs/deploy.md）。")
            % {"family": family}
        ) from exc


def completion_figure(
    values: Sequence[tuple[str, float]],
    *,
    title: str = "",
    reference: float | None = None,
    reference_label: str | None = None,
    value_format: str = "{:.1f}%",
    width_mm: float = DEFAULT_WIDTH_MM,
) -> Figure:
    """Horizontal bars of completion by unit, top to bottom in the given order, each labelled with its value.

    ``reference`` draws a dashed line (序时进度 unless ``reference_label`` says otherwise); bars below it are
    drawn in the warning colour.
    """
    height_mm = BAR_CHART_MARGIN_MM + BAR_BAND_MM * max(len(values), 1)
    labels = [label for label, _value in values]
    top = 14.0 if title or reference is not None else 4.0
    left = 6.0 + max((_text_width_mm(label) for label in labels), default=0.0)
    figure = _new_figure(width_mm, height_mm, margins_mm=(left, 6.0, top, BAR_CHART_MARGIN_MM - top))
    axes = figure.add_subplot()
    numbers = [value for _label, value in values]
    colours = [BEHIND_COLOUR if reference is not None and value < reference else BAR_COLOUR for value in numbers]
    bars = axes.barh(range(len(values)), numbers, color=colours, height=0.6)
    axes.set_yticks(range(len(values)), labels)
    axes.invert_yaxis()  # the first unit on top, as a ranking table reads
    axes.bar_label(bars, labels=[value_format.format(value) for value in numbers], padding=3, fontsize=FONT_SIZE - 1)
    highest = max([*numbers, reference or 0, 0])
    axes.set_xlim(0, highest * 1.15 if highest > 0 else 1)
    if reference is not None:
        axes.axvline(
            reference, color=REFERENCE_COLOUR, linestyle="--", linewidth=1.2, label=reference_label or _("序时进度")
        )
        axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False, ncols=1)
    _finish(axes, title)
    return figure


def trend_figure(
    periods: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str = "",
    y_label: str = "",
    width_mm: float = DEFAULT_WIDTH_MM,
    height_mm: float = 80.0,
) -> Figure:
    """One line per series over the periods (e.g. months); ``None`` leaves a gap for a period without a figure."""
    for name, points in series.items():
        if len(points) != len(periods):
            raise ValueError(f"series {name!r} has {len(points)} points for {len(periods)} periods")
    legend_rows = math.ceil(len(series) / 3)
    figure = _new_figure(width_mm, height_mm, margins_mm=(16.0, 4.0, 9.0 if title else 4.0, 10.0 + 5.0 * legend_rows))
    axes = figure.add_subplot()
    positions = range(len(periods))
    for name, points in series.items():
        axes.plot(positions, [math.nan if point is None else point for point in points], marker="o", label=name)
    axes.set_xticks(positions, periods)
    if y_label:
        axes.set_ylabel(y_label)
    if series:
        # below the plot: a legend of several long names above it would run into the title
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, ncols=min(len(series), 3))
    axes.grid(axis="y", linewidth=0.5, alpha=0.5)
    _finish(axes, title)
    return figure


def completion_chart(values: Sequence[tuple[str, float]], **options) -> bytes:
    """PNG of ``completion_figure`` (same arguments)."""
    return figure_png(completion_figure(values, **options))


def trend_chart(periods: Sequence[str], series: Mapping[str, Sequence[float | None]], **options) -> bytes:
    """PNG of ``trend_figure`` (same arguments)."""
    return figure_png(trend_figure(periods, series, **options))


def figure_png(figure: Figure) -> bytes:
    """The figure as PNG bytes at the module's resolution, without metadata that would change between runs."""
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def chart_pixels(length_mm: float) -> int:
    """Pixels of a chart side of ``length_mm`` at the module's resolution."""
    return round(length_mm / MM_PER_INCH * DPI)


def _new_figure(width_mm: float, height_mm: float, *, margins_mm: tuple[float, float, float, float]) -> Figure:
    """A figure with fixed margins (left, right, top, bottom) around its plot. Margins worked out from the
    labels, not by matplotlib's constrained layout, which would be half of a chart's drawing time."""
    find_cjk_font()  # fail clearly before drawing boxes
    # Half a pixel more than the exact size: the canvas truncates width × dpi, which floating point can put a
    # hair below the intended whole number.
    size = ((chart_pixels(width_mm) + 0.5) / DPI, (chart_pixels(height_mm) + 0.5) / DPI)
    figure = Figure(figsize=size, dpi=DPI)
    left, right, top, bottom = margins_mm
    figure.subplots_adjust(
        left=left / width_mm, right=1 - right / width_mm, top=1 - top / height_mm, bottom=bottom / height_mm
    )
    return figure


def _text_width_mm(text: str) -> float:
    """The width of a label at the chart's font size: a Chinese character is one em, Latin about half."""
    em = FONT_SIZE * MM_PER_INCH / 72
    return sum(em if ord(char) > 0x2E80 else em * 0.55 for char in text)


def _finish(axes, title: str) -> None:
    axes.tick_params(labelfontfamily=CJK_FONT_FAMILY, labelsize=FONT_SIZE)
    for text in [axes.xaxis.label, axes.yaxis.label]:
        text.set_fontfamily(CJK_FONT_FAMILY)
        text.set_fontsize(FONT_SIZE)
    legend = axes.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_fontfamily(CJK_FONT_FAMILY)
            text.set_fontsize(FONT_SIZE)
    for text in axes.texts:  # value labels
        text.set_fontfamily(CJK_FONT_FAMILY)
    if title:
        axes.set_title(title, loc="left", fontfamily=CJK_FONT_FAMILY, fontsize=FONT_SIZE + 2)
    axes.spines[["top", "right"]].set_visible(False)
