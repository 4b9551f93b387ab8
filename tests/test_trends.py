"""Many letters into clean time series: the sample plus a synthetic series."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from click.testing import CliRunner
import pytest

from etl.fixtures.render import render_pdf
from etl.pipeline import ingest
from etl.trends import read_trends, sparkline

from .series import CH7, FRAUD, synthetic_series


@pytest.fixture(scope="module")
def series_warehouse(tmp_path_factory, sample_pdf) -> Path:
    folder = tmp_path_factory.mktemp("letters")
    shutil.copy(sample_pdf, folder / sample_pdf.name)
    for letter in synthetic_series():
        render_pdf(letter.doc, folder / letter.name)
    db = folder.parent / "series.duckdb"
    report = ingest([folder], db, jobs=1)
    assert report.exit_code == 0, [(d.letter.path, d.findings) for d in report.documents]
    assert len(report.documents) == 4
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_full_years_form_unbroken_series(series_warehouse):
    for metric, table in (("ch7_crimes_registered", CH7), ("internet_fraud_registered", FRAUD)):
        rows = _rows(
            series_warehouse,
            f"SELECT year(period_start), value FROM trends WHERE metric = '{metric}' AND months = 12 ORDER BY 1",
        )
        years = [y for y, _ in rows]
        assert years == list(range(2015, 2020)), metric
        expected = {y: v[0] for y, v in table.items()}
        if metric == "internet_fraud_registered":
            expected[2017] = 2015  # the 2019 letter's revision is the latest word
        assert {y: v for y, v in rows} == expected


def test_partial_year_stays_apart(series_warehouse):
    rows = _rows(
        series_warehouse,
        "SELECT period_start, period_end, value, months, is_partial FROM trends "
        "WHERE metric = 'internet_fraud_registered' AND year(period_start) = 2017 ORDER BY months",
    )
    assert [(str(s), str(e), v, m, p) for s, e, v, m, p in rows] == [
        ("2017-01-01", "2017-10-31", 1694.0, 10, True),
        ("2017-01-01", "2017-12-31", 2015.0, 12, False),
    ]


def test_revision_is_listed_with_each_letters_value(series_warehouse):
    rows = _rows(
        series_warehouse,
        "SELECT metric, year(period_start), letter_date, value, is_latest FROM revisions ORDER BY metric, letter_date",
    )
    assert [(m, y, str(d), v, latest) for m, y, d, v, latest in rows] == [
        ("internet_fraud_registered", 2017, "2018-11-14", 2011.0, False),
        ("internet_fraud_registered", 2017, "2019-11-14", 2015.0, True),
    ]
    trend = _rows(
        series_warehouse,
        "SELECT value, n_letters, disagree, letter_date FROM trends "
        "WHERE metric = 'internet_fraud_registered' AND period_start = DATE '2017-01-01' AND months = 12",
    )
    assert [(v, n, d, str(ld)) for v, n, d, ld in trend] == [(2015.0, 2, True, "2019-11-14")]


def test_restated_years_agree_and_count_letters(series_warehouse):
    rows = _rows(
        series_warehouse,
        "SELECT year(period_start), n_letters, disagree FROM trends "
        "WHERE metric = 'ch7_crimes_registered' AND months = 12 ORDER BY 1",
    )
    # 2015 and 2016 come from the sample and are restated by the 2018 letter;
    # 2017 and 2018 are each stated by two synthetic letters; 2019 by one.
    assert rows == [(2015, 1, False), (2016, 2, False), (2017, 2, False), (2018, 2, False), (2019, 1, False)]


def test_read_trends_and_sparkline(series_warehouse):
    (series,) = read_trends(series_warehouse, "ch7_crimes_registered", since=2016)
    full = [p.value for p in series.points if not p.is_partial]
    assert full == [113.0, 97.0, 104.0, 121.0]
    assert sparkline(full) == "▆▁▃█"


def test_other_wordings_of_the_same_statistics_get_metric_and_period():
    """A later letter words things its own way; the catalogue still applies."""
    from datetime import date

    from etl.align import align
    from etl.figures import build_figures
    from etl.models import Paragraph

    kk = (
        "Интернет-алаяқтыққа қарсы іс-қимыл бойынша 2018 жылы 2400 интернет-алаяқтық тіркелген, "
        "ашылғаны – 170, ашылмағаны – 1750. Салыстыру үшін: 2017 жылы 2015 интернет-алаяқтық тіркелген."
    )
    ru = (
        "По линии противодействия интернет-мошенничеству за 2018 год зарегистрировано 2400 "
        "интернет-мошенничеств, раскрыто – 170, нераскрыто – 1750. Для сравнения: в 2017 году было "
        "зарегистрировано 2015 интернет-мошенничеств."
    )
    kk2 = "2019 жылғы 9 айда ҚК-нің 7-тарауы бойынша 95 қылмыстық құқық бұзушылық тіркелген, ашылғаны – 10."
    ru2 = "За 9 месяцев 2019 года по Главе 7 УК зарегистрировано 95 уголовных правонарушений, раскрыто – 10."
    paragraphs = [
        Paragraph("kk", "appendix", 1, 1, kk),
        Paragraph("kk", "appendix", 2, 1, kk2),
        Paragraph("ru", "appendix", 1, 1, ru),
        Paragraph("ru", "appendix", 2, 1, ru2),
    ]
    pairs = align(build_figures("f" * 64, paragraphs, date(2019, 11, 14)), paragraphs)
    assert all(p.status == "match" for p in pairs)
    named = {
        (p.metric, p.kk.period_start.isoformat(), p.kk.period_end.isoformat(), p.kk.value)
        for p in pairs
        if p.metric and p.kk and p.kk.period_start and p.kk.period_end
    }
    assert named == {
        ("internet_fraud_registered", "2018-01-01", "2018-12-31", 2400.0),
        ("internet_fraud_solved", "2018-01-01", "2018-12-31", 170.0),
        ("internet_fraud_unsolved", "2018-01-01", "2018-12-31", 1750.0),
        ("internet_fraud_registered", "2017-01-01", "2017-12-31", 2015.0),
        ("ch7_crimes_registered", "2019-01-01", "2019-09-30", 95.0),
        ("ch7_crimes_solved", "2019-01-01", "2019-09-30", 10.0),
    }


# ------------------------------------------------------------ the chart (issue 16 item 9)


def test_chart_puts_each_value_at_its_period_start_with_title_unit_and_zero_axis(series_warehouse):
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from etl.trends import chart

    (series,) = read_trends(series_warehouse, "internet_fraud_registered")
    fig = chart([series])
    try:
        (ax,) = fig.axes
        full, partial_bar, partial_mark = ax.lines
        years = [mdates.num2date(x).date().isoformat() for x in full.get_xdata(orig=False)]
        assert years == ["2015-01-01", "2016-01-01", "2017-01-01", "2018-01-01", "2019-01-01"]
        assert list(full.get_ydata()) == [45.0, 1046.0, 2015.0, 2388.0, 2570.0]
        # Ten months of 2017: a hollow marker at its start and a bar to its end, not joined to the years.
        assert [mdates.num2date(x).date().isoformat() for x in partial_bar.get_xdata(orig=False)] == ["2017-01-01", "2017-10-31"]
        assert partial_mark.get_markerfacecolor() == "white" and partial_mark.get_linestyle() == "None"
        assert ax.get_title(loc="left") == "internet_fraud_registered — Internet fraud offences registered (committed)"
        assert ax.get_ylabel() == "offences"
        assert ax.get_ylim()[0] == 0
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        assert {"2015", "2019"} <= set(ticks) and all(len(t) == 4 for t in ticks)
        # The legend sits right of the plot: it covers no point.
        legend = ax.get_legend()
        fig.canvas.draw()
        assert legend.get_window_extent().x0 >= ax.get_window_extent().x1
    finally:
        plt.close(fig)


def test_chart_of_every_metric_gives_each_its_own_style_and_one_legend_entry(series_warehouse):
    import matplotlib.pyplot as plt

    from etl.trends import chart

    series = read_trends(series_warehouse)
    fig = chart(series)
    try:
        (ax,) = fig.axes
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[: len(series)] == [s.metric for s in series]
        assert labels[len(series) :] == ["partial period (the months it covers)", "stock: a lone point, as of a date"]
        styles = {}
        for line in ax.lines:
            if not line.get_label().startswith("_"):
                styles[line.get_label()] = (line.get_color(), line.get_marker())
        assert len(set(styles.values())) == len(series)
    finally:
        plt.close(fig)


def test_plot_writes_png_and_svg_with_text(tmp_path, series_warehouse):
    from etl.cli import main

    for name in ("c.png", "c.svg"):
        out = tmp_path / name
        result = CliRunner().invoke(main, ["trends", "ch7_crimes_registered", "-w", str(series_warehouse), "--plot", str(out)])
        assert result.exit_code == 0, result.stderr
        assert result.stderr == f"chart written to {out}\n"
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "c.svg").read_text()
    assert "ch7_crimes_registered — " in svg and ">offences<" in svg and ">2015<" in svg


def test_plot_without_matplotlib_says_so_before_any_output(tmp_path, series_warehouse):
    import os
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    code = "import sys; sys.modules['matplotlib'] = None; from etl.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "trends", "-w", str(series_warehouse), "--plot", str(tmp_path / "c.png")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "etl: --plot needs matplotlib, which is not installed: pip install 'kkru-etl[plot]'\n"
    assert not (tmp_path / "c.png").exists()


def test_trends_tells_unknown_metric_from_known_metric_without_periods(series_warehouse):
    from etl.cli import main

    unknown = CliRunner().invoke(main, ["trends", "no_such_metric", "-w", str(series_warehouse)])
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert unknown.stderr.startswith("etl: unknown metric 'no_such_metric'; known: ch7_crimes_registered, ")
    empty = CliRunner().invoke(main, ["trends", "ch7_crimes_registered", "--since", "2100", "-w", str(series_warehouse)])
    assert empty.exit_code == 0 and empty.stdout == ""
    assert empty.stderr == (
        "metric ch7_crimes_registered is known, but the trends view has no period ending in 2100 or later for it yet\n"
    )
