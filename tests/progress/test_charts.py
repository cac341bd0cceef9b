"""The server-drawn SVG charts (progress/charts.py): pure functions, no database."""

import re
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest

from progress import charts

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2025, 11, 24)  # a Monday


def year(minutes_on: dict[date, int] | None = None, today: date = TODAY) -> list[tuple[date, int]]:
    minutes_on = minutes_on or {}
    first = today - timedelta(days=364)
    days = (first + timedelta(days=offset) for offset in range(365))
    return [(day, minutes_on.get(day, 0)) for day in days]


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # raises if the markup is not well-formed XML


def cells(root: ElementTree.Element) -> list[ElementTree.Element]:
    return root.findall(f"{SVG}rect")


# --- heatmap ------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [TODAY + timedelta(days=shift) for shift in range(7)])
def test_heatmap_has_one_cell_per_day_in_53_week_columns(today):
    root = parse(charts.heatmap_svg(year(today=today)))
    rects = cells(root)
    assert len(rects) == 365
    columns = {rect.get("x") for rect in rects}
    rows = {rect.get("y") for rect in rects}
    assert len(columns) == 53
    assert len(rows) == 7


def test_heatmap_puts_mondays_on_the_top_row_and_today_last():
    root = parse(charts.heatmap_svg(year()))
    rects = cells(root)
    top = min(int(rect.get("y")) for rect in rects)
    last = rects[-1]
    assert last.get("y") == str(top)  # TODAY is a Monday
    assert last.find(f"{SVG}title").text == "Mon 24 Nov 2025: no study"


def test_heatmap_cell_titles_say_the_day_and_minutes():
    days = year({TODAY - timedelta(days=1): 45, TODAY - timedelta(days=2): 90})
    root = parse(charts.heatmap_svg(days))
    titles = [rect.find(f"{SVG}title").text for rect in cells(root)]
    assert "Sun 23 Nov 2025: 45 minutes" in titles
    assert "Sat 22 Nov 2025: 1 h 30 min" in titles
    assert titles.count("Fri 21 Nov 2025: no study") == 1


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, 0), (1, 1), (29, 1), (30, 2), (59, 2), (60, 3), (120, 4), (600, 4)],
)
def test_heatmap_levels(minutes, expected):
    assert charts.level(minutes) == expected
    root = parse(charts.heatmap_svg(year({TODAY: minutes})))
    assert cells(root)[-1].get("class") == f"heat heat-{expected}"


def test_heatmap_uses_classes_not_inline_styles_or_colours():
    svg = charts.heatmap_svg(year({TODAY: 30}))
    assert "style=" not in svg
    assert "fill=" not in svg
    assert "#" not in svg


def test_heatmap_has_title_and_description_for_screen_readers():
    days = year({TODAY: 60, TODAY - timedelta(days=1): 30, TODAY - timedelta(days=10): 15})
    root = parse(charts.heatmap_svg(days, chart_id="activity"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "activity-title activity-desc"
    assert root.find(f"{SVG}title").get("id") == "activity-title"
    assert root.find(f"{SVG}title").text == "Study activity, Mon 25 Nov 2024 to Mon 24 Nov 2025"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Studied on 3 of the last 365 days, 1.8 hours in total;")
    assert "longest streak 2 days" in desc
    assert "Most in one day: 1 h on Mon 24 Nov 2025." in desc


def test_heatmap_labels_months_and_weekdays():
    root = parse(charts.heatmap_svg(year()))
    labels = [text.text for text in root.findall(f"{SVG}text")]
    assert {"Mon", "Wed", "Fri"} <= set(labels)
    assert "Jan" in labels
    assert "Jun" in labels


def test_empty_heatmap_is_empty():
    assert charts.heatmap_svg([]) == ""


def test_activity_summary_counts_days_hours_and_longest_streak():
    days = year(
        {TODAY - timedelta(days=offset): 30 for offset in (0, 1, 5, 6, 7, 8)}
        | {TODAY - timedelta(days=100): 200}
    )
    summary = charts.activity_summary(days)
    assert summary.active_days == 7
    assert summary.total_minutes == 380
    assert summary.total_hours == "6.3"
    assert summary.longest_streak == 4
    assert summary.busiest == (TODAY - timedelta(days=100), 200)


def test_activity_summary_of_a_quiet_year():
    summary = charts.activity_summary(year())
    assert summary.text == (
        "Studied on 0 of the last 365 days, 0 hours in total; longest streak 0 days."
    )


def test_month_totals_add_up_each_month():
    totals = charts.month_totals(year({date(2025, 10, 1): 30, date(2025, 10, 31): 60}))
    assert len(totals) == 13  # 25 Nov 2024 to 24 Nov 2025 touches 13 calendar months
    october = next(total for total in totals if total.month == date(2025, 10, 1))
    assert (october.active_days, october.minutes, october.hours) == (2, 90, "1.5")
    assert sum(total.minutes for total in totals) == 90


# --- progress over time -------------------------------------------------------------------------


def weeks_of_progress() -> list[tuple[date, float]]:
    return [
        (TODAY - timedelta(weeks=4 - week), percent)
        for week, percent in enumerate((0, 10, 25, 25, 40))
    ]


def test_progress_chart_draws_a_line_and_area_through_every_point():
    root = parse(charts.progress_svg(weeks_of_progress(), title="ML path"))
    line = root.find(f"{SVG}polyline").get("points").split()
    area = root.find(f"{SVG}polygon").get("points").split()
    assert len(line) == 5
    assert len(area) == 7  # the line closed down to the baseline at both ends
    ys = [float(point.split(",")[1]) for point in line]
    assert ys[0] > ys[1] > ys[2] == ys[3] > ys[4]  # higher percent is drawn higher up
    xs = [float(point.split(",")[0]) for point in line]
    assert xs == sorted(xs)


def test_progress_chart_has_axis_labels():
    root = parse(charts.progress_svg(weeks_of_progress(), title="ML path"))
    labels = [text.text for text in root.findall(f"{SVG}text")]
    assert labels[:3] == ["0%", "50%", "100%"]
    assert labels[3:] == ["27 Oct 2025", "10 Nov 2025", "24 Nov 2025"]


def test_progress_chart_has_a_text_alternative():
    root = parse(charts.progress_svg(weeks_of_progress(), title="ML path", chart_id="c1"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "ML path"
    assert root.find(f"{SVG}desc").text == ("From 0% on Mon 27 Oct 2025 to 40% on Mon 24 Nov 2025.")


def test_progress_chart_clamps_out_of_range_values():
    svg = charts.progress_svg([(TODAY - timedelta(days=1), -5), (TODAY, 150)], title="x")
    ys = [
        float(point.split(",")[1])
        for point in parse(svg).find(f"{SVG}polyline").get("points").split()
    ]
    assert ys == [charts.PAD_TOP + charts.PLOT_HEIGHT, charts.PAD_TOP]


def test_progress_chart_of_one_point_and_of_none():
    assert parse(charts.progress_svg([(TODAY, 12.5)], title="x")).find(f"{SVG}polyline") is not None
    assert charts.progress_svg([], title="x") == ""


def test_chart_texts_are_escaped():
    hostile = '<script>alert("x")</script> & "quotes"'
    svg = charts.progress_svg(weeks_of_progress(), title=hostile, chart_id='a"b')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'id="a&quot;b-title"' in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == hostile
    assert re.search(r"<svg[^>]*>", svg).group(0).count('"') % 2 == 0


def test_minutes_and_hours_texts():
    assert charts.minutes_text(1) == "1 minute"
    assert charts.minutes_text(59) == "59 minutes"
    assert charts.minutes_text(60) == "1 h"
    assert charts.minutes_text(135) == "2 h 15 min"
    assert charts.hours_text(90) == "1.5"
    assert charts.hours_text(600) == "10"
