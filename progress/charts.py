"""Charts drawn on the server as SVG: the activity heatmap and progress over time.

Pure functions from plain data to safe SVG strings (every text goes through `format_html`, but
the heatmap's cells, made of numbers and dates only), so they are unit-tested without a
database. Colours come from CSS classes (static/css/progress.css)
whose fills are custom properties, so light and dark themes both work and the strict CSP (no
inline styles) holds. Each chart carries a <title> and <desc>, and the pages add a text
alternative next to it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

CELL = 11  # heatmap square, in SVG user units
GAP = 3
LEFT = 30  # room for weekday labels
TOP = 16  # room for month labels
WEEKS = 53
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}
# Minutes a day from which a cell takes each level (level 0 is no study at all).
LEVELS = (1, 30, 60, 120)


def minutes_text(minutes: int) -> str:
    """'1 minute', '45 minutes', '1 h 30 min' for titles and summaries."""
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def hours_text(minutes: int) -> str:
    """Minutes as hours with at most one decimal: '0', '1.5', '12'."""
    hours = round(minutes / 60, 1)
    return f"{hours:g}"


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def level(minutes: int) -> int:
    """The colour level 0-4 of a day with `minutes` of study."""
    return sum(1 for threshold in LEVELS if minutes >= threshold)


# --- activity heatmap ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivitySummary:
    days: int  # days in the period
    active_days: int
    total_minutes: int
    longest_streak: int  # consecutive days with study, within the period
    busiest: tuple[date, int] | None  # the day with the most minutes

    @property
    def total_hours(self) -> str:
        return hours_text(self.total_minutes)

    @property
    def text(self) -> str:
        streak = f"{self.longest_streak} day{'s' if self.longest_streak != 1 else ''}"
        sentence = (
            f"Studied on {self.active_days} of the last {self.days} days, "
            f"{self.total_hours} hours in total; longest streak {streak}."
        )
        if self.busiest:
            day, minutes = self.busiest
            sentence += f" Most in one day: {minutes_text(minutes)} on {day_text(day)}."
        return sentence


def activity_summary(days: Sequence[tuple[date, int]]) -> ActivitySummary:
    """Totals of a run of (day, minutes), oldest first, for the heatmap's text alternative."""
    longest = current = 0
    for _, minutes in days:
        current = current + 1 if minutes > 0 else 0
        longest = max(longest, current)
    active = [(day, minutes) for day, minutes in days if minutes > 0]
    busiest = max(active, key=lambda item: (item[1], item[0])) if active else None
    return ActivitySummary(
        days=len(days),
        active_days=len(active),
        total_minutes=sum(minutes for _, minutes in days),
        longest_streak=longest,
        busiest=busiest,
    )


@dataclass(frozen=True)
class MonthTotal:
    month: date  # the first of the month
    active_days: int
    minutes: int

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)


def month_totals(days: Sequence[tuple[date, int]]) -> list[MonthTotal]:
    """Study per calendar month, oldest first: the heatmap as a small table."""
    totals: dict[date, list[int]] = {}
    for day, minutes in days:
        month = totals.setdefault(day.replace(day=1), [0, 0])
        month[0] += 1 if minutes > 0 else 0
        month[1] += minutes
    return [MonthTotal(month, active, minutes) for month, (active, minutes) in totals.items()]


def _cell(column: int, row: int, day: date, minutes: int) -> str:
    """One day's square. Built without format_html (365 of them per dashboard, where escaping
    each value was most of the chart's cost): every value is a number we computed or a text
    made from a date and a number (`day_text`, `minutes_text`), which needs no escaping."""
    label = minutes_text(minutes) if minutes else "no study"
    return (
        f'<rect x="{LEFT + column * (CELL + GAP)}" y="{TOP + row * (CELL + GAP)}" '
        f'width="{CELL}" height="{CELL}" rx="2" class="heat heat-{level(minutes)}">'
        f"<title>{day_text(day)}: {label}</title></rect>"
    )


def _month_labels(start: date, days: Sequence[tuple[date, int]]) -> SafeString:
    """A label above the first column of each month (skipped when too close to the last)."""
    labels = []
    last_column = -3
    for day, _ in days:
        if day.day != 1 and day != days[0][0]:
            continue
        column = (day - start).days // 7
        if column - last_column < 3:
            continue
        labels.append((LEFT + column * (CELL + GAP), f"{day:%b}"))
        last_column = column
    return format_html_join("", '<text x="{}" y="10" class="chart-label">{}</text>', labels)


def _weekday_labels() -> SafeString:
    return format_html_join(
        "",
        '<text x="0" y="{}" class="chart-label">{}</text>',
        ((TOP + row * (CELL + GAP) + CELL - 2, name) for row, name in WEEKDAY_LABELS.items()),
    )


def heatmap_svg(days: Sequence[tuple[date, int]], *, chart_id: str = "heatmap") -> SafeString:
    """A calendar heatmap of (day, minutes), oldest first (365 days: 53 week columns, Monday on
    top). Each cell is a <rect> whose class gives its colour level and whose <title> says the day
    and the minutes studied."""
    if not days:
        return mark_safe("")
    start = days[0][0] - timedelta(days=days[0][0].weekday())  # Monday of the first week
    columns = max(WEEKS, (days[-1][0] - start).days // 7 + 1)
    width = LEFT + columns * (CELL + GAP)
    height = TOP + 7 * (CELL + GAP)
    summary = activity_summary(days)
    cells = mark_safe(  # noqa: S308 - numbers and date texts only, see _cell
        "".join(
            _cell((day - start).days // 7, day.weekday(), day, minutes) for day, minutes in days
        )
    )
    return format_html(
        '<svg class="chart heatmap" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">Study activity, {} to {}</title>'
        '<desc id="{}-desc">{}</desc>{}{}{}</svg>',
        width,
        height,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        day_text(days[0][0]),
        day_text(days[-1][0]),
        chart_id,
        summary.text,
        _month_labels(start, days),
        _weekday_labels(),
        mark_safe(cells),  # numbers and date texts only: see _cell
    )


# --- progress over time -------------------------------------------------------------------------

PLOT_WIDTH = 600
PLOT_HEIGHT = 160
PAD_LEFT = 40
PAD_BOTTOM = 24
PAD_TOP = 8
PAD_RIGHT = 12


@dataclass(frozen=True)
class ProgressSummary:
    start: tuple[date, float]
    end: tuple[date, float]

    @property
    def text(self) -> str:
        (first_day, first), (last_day, last) = self.start, self.end
        return f"From {first:.0f}% on {day_text(first_day)} to {last:.0f}% on {day_text(last_day)}."


def progress_summary(points: Sequence[tuple[date, float]]) -> ProgressSummary | None:
    if not points:
        return None
    return ProgressSummary(points[0], points[-1])


def _x(index: int, count: int) -> float:
    if count <= 1:
        return PAD_LEFT + PLOT_WIDTH
    return round(PAD_LEFT + PLOT_WIDTH * index / (count - 1), 1)


def _y(percent: float) -> float:
    clamped = min(max(float(percent), 0.0), 100.0)
    return round(PAD_TOP + PLOT_HEIGHT * (1 - clamped / 100), 1)


def _axes(points: Sequence[tuple[date, float]]) -> SafeString:
    baseline = PAD_TOP + PLOT_HEIGHT
    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-grid"/>'
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}%</text>',
        (
            (
                PAD_LEFT,
                _y(value),
                PAD_LEFT + PLOT_WIDTH,
                _y(value),
                PAD_LEFT - 6,
                _y(value) + 4,
                value,
            )
            for value in (0, 50, 100)
        ),
    )
    count = len(points)
    picks = sorted({0, count // 2, count - 1}) if count > 2 else list(range(count))
    anchors = {0: "start", count - 1: "end"}
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-label" text-anchor="{}">{}</text>',
        (
            (
                _x(index, count),
                baseline + 18,
                anchors.get(index, "middle"),
                short_day(points[index][0]),
            )
            for index in picks
        ),
    )
    return grid + ticks


def progress_svg(
    points: Sequence[tuple[date, float]], *, title: str, chart_id: str = "progress"
) -> SafeString:
    """An area chart of (day, percent done), oldest first, with 0/50/100% gridlines and dates
    on the x axis; the <title> names what it measures and the <desc> gives the change."""
    summary = progress_summary(points)
    if summary is None:
        return mark_safe("")
    count = len(points)
    line = " ".join(f"{_x(i, count)},{_y(percent)}" for i, (_, percent) in enumerate(points))
    baseline = PAD_TOP + PLOT_HEIGHT
    area = f"{_x(0, count)},{baseline} {line} {_x(count - 1, count)},{baseline}"
    width = PAD_LEFT + PLOT_WIDTH + PAD_RIGHT
    height = baseline + PAD_BOTTOM
    return format_html(
        '<svg class="chart progress-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}'
        '<polygon points="{}" class="chart-area"/>'
        '<polyline points="{}" class="chart-line"/></svg>',
        width,
        height,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        summary.text,
        _axes(points),
        area,
        line,
    )
