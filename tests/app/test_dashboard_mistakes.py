"""Class overview → "Which mistakes dominate": per topic, the top five mistakes by their
translated names, with how many students made them; full names on hover, no legend to crowd
the chart, long names wrapped, in every language (issue: 26 mistake types on a 10-colour
palette, a half-width legend showing 9 of them, hover without names)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.components.class_views import LABEL_WIDTH
from core.analytics.demo import load_demo_class
from core.analytics.report import TOP_MISTAKES, class_analytics
from core.analytics.summary import error_label, skill_label
from core.config import LANGUAGES
from core.i18n import t
from tests.app.conftest import Seed, app_as, assert_clean


def _figure(at: AppTest, key: str) -> dict[str, Any]:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}"))
    figure: dict[str, Any] = json.loads(chart.proto.spec)
    return figure


@pytest.mark.parametrize("lang", LANGUAGES)
def test_top_mistakes_per_topic_with_their_names(seed: Seed, lang: str) -> None:
    room = load_demo_class(seed.teacher, "Demo", n_students=16, seed=3)
    top = class_analytics(seed.teacher, room.id).top_mistakes()
    topics = list(dict.fromkeys(top["skill"]))
    assert len(topics) >= 5  # the demo class makes mistakes in many topics

    at = app_as(seed.teacher, lang)
    at.switch_page("app_pages/teacher_dashboard.py").run()
    at.selectbox(key="dashboard_class").set_value(room.id).run()
    assert_clean(at)
    picker = at.selectbox(key="mistakes_topic")
    assert picker.options == [skill_label(s, lang) for s in topics]

    for index in (0, len(topics) - 1):
        picker.set_value(index).run()
        assert_clean(at)
        rows = top[top["skill"] == topics[index]]
        names = [error_label(code, lang) for code in rows["error_type"]]
        figure = _figure(at, "mistakes")
        (bars,) = figure["data"]  # one trace, one colour: no legend to read
        assert bars["type"] == "bar" and bars["orientation"] == "h"
        assert isinstance(bars["marker"]["color"], str)
        assert figure["layout"]["showlegend"] is False
        assert 1 <= len(bars["y"]) <= TOP_MISTAKES
        # The axis names each mistake in full, in the teacher's language, wrapped in short lines.
        assert [label.replace("<br>", " ") for label in bars["y"]] == names
        lines = [line for label in bars["y"] for line in label.split("<br>")]
        assert all(len(line) <= LABEL_WIDTH or " " not in line for line in lines)
        assert not any("_" in name for name in names)
        # Most students first; the bar is the share of the topic's students, hover names it.
        shares = bars["x"]
        assert shares == sorted(shares, reverse=True) and all(0 < x <= 1 for x in shares)
        assert [d[0] for d in bars["customdata"]] == names
        assert "%{customdata[0]}" in bars["hovertemplate"]
        assert bars["text"][0] == t(
            "dashboard.mistake_bar", lang, students=rows.iloc[0]["students"],
            practised=rows.iloc[0]["practised"],
        )  # fmt: skip
        assert figure["layout"]["yaxis"]["automargin"] is True
        assert figure["layout"]["xaxis"]["title"]["text"] == t("dashboard.share_of_students", lang)

    # Every topic's top five, as a table with the same names.
    expander = next(e for e in at.expander if e.label == t("dashboard.mistakes_table", lang))
    table = expander.dataframe[0].value
    assert len(table) == len(top)
    assert table.groupby("topic").size().max() <= TOP_MISTAKES
    assert set(table["topic"]) == {skill_label(s, lang) for s in topics}
    assert list(table["mistake"]) == [error_label(code, lang) for code in top["error_type"]]
    assert table["students"].between(0, 100).all()
