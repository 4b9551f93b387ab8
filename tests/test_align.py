"""Stage 3 — align: hand-built figure lists for each status, then the real letter."""

from __future__ import annotations

from collections import Counter
from itertools import count

import pytest

from etl.align import align
from etl.models import Figure, FigurePair, Paragraph
from etl.validate import validate_pairs

_ids = count(1)


def fig(
    lang: str,
    para: int,
    value: float,
    start: int,
    *,
    kind: str = "statistic",
    scale: float = 1.0,
    unit: str | None = None,
    role: str | None = None,
    part: str = "appendix",
    from_words: bool = False,
    surface: str | None = None,
) -> Figure:
    return Figure(
        figure_id=f"f{next(_ids)}",
        doc_id="doc",
        lang=lang,  # type: ignore[arg-type]
        part=part,  # type: ignore[arg-type]
        para_no=para,
        page=1,
        surface=surface or f"{value:g}",
        value=value,
        scale=scale,
        unit=unit,
        kind=kind,  # type: ignore[arg-type]
        metric=None,
        period_start=None,
        period_end=None,
        context="",
        start=start,
        role=role,
        from_words=from_words,
    )


def seq(lang: str, para: int, *values: float, **kw: object) -> list[Figure]:
    """Figures in one paragraph, in the order given, 10 characters apart."""
    return [fig(lang, para, v, 10 * n, **kw) for n, v in enumerate(values)]  # type: ignore[arg-type]


def statuses(pairs: list[FigurePair]) -> Counter[str]:
    return Counter(p.status for p in pairs)


def findings(pairs: list[FigurePair]) -> list[FigurePair]:
    return [p for p in pairs if p.status != "match"]


def assert_partition(figures: list[Figure], pairs: list[FigurePair]) -> None:
    """Every figure is in exactly one pair."""
    seen = [p.kk.figure_id for p in pairs if p.kk] + [p.ru.figure_id for p in pairs if p.ru]
    assert sorted(seen) == sorted(f.figure_id for f in figures)


# --------------------------------------------------------------------------- statuses


def test_identical_letters_match_everything() -> None:
    figures = seq("kk", 1, 2015, 128, 12, 37) + seq("ru", 1, 2015, 128, 12, 37)
    pairs = align(figures)
    assert statuses(pairs) == {"match": 4}
    assert all(p.kk and p.ru and p.kk.value == p.ru.value for p in pairs)
    assert_partition(figures, pairs)
    assert validate_pairs(pairs) == []


def test_changed_value_is_one_changed_pair() -> None:
    figures = seq("kk", 1, 2015, 128, 12, 37) + seq("ru", 1, 2015, 129, 12, 37)
    pairs = align(figures)
    (bad,) = findings(pairs)
    assert bad.status == "changed"
    assert (bad.kk.value, bad.ru.value) == (128, 129)  # type: ignore[union-attr]
    assert validate_pairs(pairs) == [bad]


def test_change_into_a_value_present_elsewhere_points_at_the_edited_figure() -> None:
    # "ашылғаны – 12" edited to "128" while 128 is also the paragraph's first figure.
    kk = seq("kk", 1, 2015, 128, 128, 37)
    ru = seq("ru", 1, 2015, 128, 12, 37)
    pairs = align(kk + ru)
    (bad,) = findings(pairs)
    assert bad.status == "changed"
    assert bad.kk is kk[2] and bad.ru is ru[2]


def test_scale_change_is_changed_not_missing() -> None:
    kk = [fig("kk", 1, 2011, 0, kind="year"), fig("kk", 1, 14, 40, kind="money", scale=1e6, unit="KZT")]
    ru = [fig("ru", 1, 2011, 0, kind="year"), fig("ru", 1, 14, 50, kind="money", scale=1e9, unit="KZT")]
    pairs = align(kk + ru)
    (bad,) = findings(pairs)
    assert bad.status == "changed"
    assert (bad.kk.scale, bad.ru.scale) == (1e6, 1e9)  # type: ignore[union-attr]
    assert validate_pairs(pairs) == [bad]


def test_missing_in_each_language() -> None:
    kk = seq("kk", 1, 2015, 128, 12, 37)
    ru = seq("ru", 1, 2015, 128, 37)
    pairs = align(kk + ru)
    (bad,) = findings(pairs)
    assert bad.status == "missing_ru" and bad.kk is kk[2] and bad.ru is None

    pairs = align(seq("kk", 1, 2015, 128, 37) + seq("ru", 1, 2015, 128, 12, 37))
    (bad,) = findings(pairs)
    assert bad.status == "missing_kk" and bad.kk is None and bad.ru.value == 12  # type: ignore[union-attr]


def test_swapped_roles_report_both_figures() -> None:
    kk = [
        fig("kk", 1, 113, 0, role="registered"),
        fig("kk", 1, 13, 20, role="solved"),
    ]
    ru = [
        fig("ru", 1, 13, 0, role="registered"),
        fig("ru", 1, 113, 20, role="solved"),
    ]
    pairs = align(kk + ru)
    assert statuses(pairs) == {"swapped": 2}
    for p in pairs:
        assert p.kk.value == p.ru.value and p.kk.role != p.ru.role  # type: ignore[union-attr]
    assert validate_pairs(pairs) == pairs


def test_swap_inside_an_enumeration_without_roles() -> None:
    kk = seq("kk", 1, 1007, 413, 349, 171, 74)
    ru = seq("ru", 1, 1007, 413, 171, 349, 74)
    pairs = align(kk + ru)
    swapped = [p for p in pairs if p.status == "swapped"]
    assert {p.kk.value for p in swapped} == {349, 171}  # type: ignore[union-attr]
    assert statuses(pairs) == {"match": 3, "swapped": 2}


def test_word_order_is_not_a_swap() -> None:
    # "п.4, ч.2 ст.190 УК ... лишь в 875 из 1694" = "190-бабы 4-тармағы, 2-бөлігі ... 1694 жағдайдың тек 875-де"
    kk = [fig("kk", 1, v, 10 * n, kind="legal_ref") for n, v in enumerate((190, 4, 2))]
    kk += [fig("kk", 1, 1694, 100), fig("kk", 1, 875, 120)]
    ru = [fig("ru", 1, v, 10 * n, kind="legal_ref") for n, v in enumerate((4, 2, 190))]
    ru += [fig("ru", 1, 875, 100), fig("ru", 1, 1694, 120)]
    assert statuses(align(kk + ru)) == {"match": 5}


def test_two_figures_in_other_order_are_word_order() -> None:
    # "34 мошенничеств ... семи регионов" = "жеті өңіріндегі ... 34 алаяқтық"
    kk = [fig("kk", 1, 7, 0, from_words=True), fig("kk", 1, 34, 30)]
    ru = [fig("ru", 1, 34, 0), fig("ru", 1, 7, 30, from_words=True)]
    assert statuses(align(kk + ru)) == {"match": 2}


def test_crossing_with_agreeing_roles_is_word_order() -> None:
    kk = seq("kk", 1, 2015, 45) + [fig("kk", 1, 7, 30, role="solved"), fig("kk", 1, 25, 40, role="suspended")]
    ru = seq("ru", 1, 2015, 45) + [fig("ru", 1, 25, 30, role="suspended"), fig("ru", 1, 7, 40, role="solved")]
    assert statuses(align(kk + ru)) == {"match": 4}


def test_crossing_of_different_kinds_is_word_order() -> None:
    # "40-тан астам компаниялардың шоттарынан 500 млн. теңге" = "500 млн. тенге со счетов более 40 компаний"
    kk = seq("kk", 1, 2011, 2013, kind="year") + [
        fig("kk", 1, 40, 30, kind="count"),
        fig("kk", 1, 500, 40, kind="money", scale=1e6, unit="KZT"),
    ]
    ru = seq("ru", 1, 2011, 2013, kind="year") + [
        fig("ru", 1, 500, 30, kind="money", scale=1e6, unit="KZT"),
        fig("ru", 1, 40, 40, kind="count"),
    ]
    assert statuses(align(kk + ru)) == {"match": 4}


def test_the_same_sum_in_another_currency_is_changed() -> None:
    # "2,5 трлн долларға" against "2,5 трлн тенге": a translation error.
    kk = [fig("kk", 1, 2015, 0, kind="year"), fig("kk", 1, 2.5, 40, kind="money", scale=1e12, unit="USD")]
    ru = [fig("ru", 1, 2015, 0, kind="year"), fig("ru", 1, 2.5, 50, kind="money", scale=1e12, unit="KZT")]
    pairs = align(kk + ru)
    (bad,) = findings(pairs)
    assert bad.status == "changed"
    assert (bad.kk.unit, bad.ru.unit) == ("USD", "KZT")  # type: ignore[union-attr]
    assert validate_pairs(pairs) == [bad]


def test_a_currency_named_in_one_language_only_still_matches() -> None:
    # "14 млн." against "14 млн. тенге": the same sum, one side names the currency.
    kk = [fig("kk", 1, 14, 0, scale=1e6)]
    ru = [fig("ru", 1, 14, 0, kind="money", scale=1e6, unit="KZT")]
    assert statuses(align(kk + ru)) == {"match": 1}


def test_equal_amounts_pair_within_their_currency() -> None:
    # "2 000 000 теңге ... 2 млн доллар" / "2 000 000 долларов ... 2 млн тенге".
    kk = [
        fig("kk", 1, 2_000_000, 0, kind="money", unit="KZT"),
        fig("kk", 1, 2, 40, kind="money", scale=1e6, unit="USD"),
    ]
    ru = [
        fig("ru", 1, 2_000_000, 0, kind="money", unit="USD"),
        fig("ru", 1, 2, 40, kind="money", scale=1e6, unit="KZT"),
    ]
    pairs = align(kk + ru)
    assert statuses(pairs) == {"match": 2}
    assert all(p.kk.unit == p.ru.unit for p in pairs)  # type: ignore[union-attr]


def test_a_date_given_without_its_year_matches_the_full_date() -> None:
    # "үстіміздегі жылғы 14 қарашадан" / "с 14 ноября 2014 года": the year left to the context.
    kk = [fig("kk", 1, 1114, 0, kind="date"), fig("kk", 1, 20141001, 30, kind="date")]
    ru = [fig("ru", 1, 20141114, 0, kind="date"), fig("ru", 1, 1001, 30, kind="date")]
    pairs = align(kk + ru)
    assert statuses(pairs) == {"match": 2}
    assert {(p.kk.value, p.ru.value) for p in pairs} == {(1114, 20141114), (20141001, 1001)}  # type: ignore[union-attr]
    assert validate_pairs(pairs) == []


def test_two_full_dates_of_other_years_are_changed_and_a_yearless_day_must_agree() -> None:
    kk = [fig("kk", 1, 20161114, 0, kind="date"), fig("kk", 2, 1112, 0, kind="date")]
    ru = [fig("ru", 1, 20171114, 0, kind="date"), fig("ru", 2, 20171110, 0, kind="date")]
    pairs = align(kk + ru)
    assert statuses(pairs) == {"changed": 2}
    assert len(validate_pairs(pairs)) == 2


def test_kind_read_differently_still_matches_on_amount() -> None:
    kk = [fig("kk", 1, 15, 0, kind="count"), fig("kk", 1, 13, 10, kind="count")]
    ru = [fig("ru", 1, 15, 0, kind="statistic"), fig("ru", 1, 13, 10, kind="count")]
    assert statuses(align(kk + ru)) == {"match": 2}


# --------------------------------------------------------------------------- the word "one"


def test_kazakh_article_bir_is_not_a_finding() -> None:
    # "бір реттік нөмір" = "разовые номера": the kk "бір" has no ru counterpart.
    kk = seq("kk", 1, 2016) + [fig("kk", 1, 1, 30, kind="count", from_words=True, surface="бір")]
    ru = seq("ru", 1, 2016)
    figures = kk + ru
    pairs = align(figures)
    assert statuses(pairs) == {"match": 1}
    assert all(p.kk is not kk[1] for p in pairs)


def test_one_in_words_with_a_counterpart_is_paired() -> None:
    kk = [fig("kk", 1, 1, 0, kind="count", from_words=True)]
    ru = [fig("ru", 1, 1, 0, kind="count", from_words=True)]
    assert statuses(align(kk + ru)) == {"match": 1}


def test_other_numbers_in_words_are_findings() -> None:
    kk = seq("kk", 1, 2016) + [fig("kk", 1, 2, 30, kind="count", from_words=True)]
    ru = seq("ru", 1, 2016)
    pairs = align(kk + ru)
    assert statuses(pairs) == {"match": 1, "missing_ru": 1}


# --------------------------------------------------------------------------- paragraphs


def _paras(lang: str, *lengths: int, part: str = "appendix") -> list[Paragraph]:
    return [Paragraph(lang, part, n, 1, "x" * ln) for n, ln in enumerate(lengths, start=1)]  # type: ignore[arg-type]


def test_paragraph_split_in_one_language() -> None:
    kk = seq("kk", 1, 2015, 128, 12) + seq("kk", 2, 83, 6, 19) + seq("kk", 3, 1046, 24)
    ru = seq("ru", 1, 2015, 128, 12) + seq("ru", 2, 83) + seq("ru", 3, 6, 19) + seq("ru", 4, 1046, 24)
    paras = _paras("kk", 300, 200, 150) + _paras("ru", 300, 90, 110, 150)
    pairs = align(kk + ru, paras)
    assert statuses(pairs) == {"match": 8}
    assert_partition(kk + ru, pairs)


def test_paragraphs_merged_in_one_language_with_a_change() -> None:
    kk = seq("kk", 1, 2015, 128, 12) + seq("kk", 2, 83, 6, 19) + seq("kk", 3, 1046, 24)
    ru = seq("ru", 1, 2015, 128, 12, 83, 6, 20) + seq("ru", 2, 1046, 24)
    pairs = align(kk + ru, _paras("kk", 300, 200, 150) + _paras("ru", 500, 150))
    (bad,) = findings(pairs)
    assert bad.status == "changed" and (bad.kk.value, bad.ru.value) == (19, 20)  # type: ignore[union-attr]


def test_missing_paragraph_in_one_language() -> None:
    kk = seq("kk", 1, 2015, 128) + seq("kk", 2, 83, 6) + seq("kk", 3, 1046, 24)
    ru = seq("ru", 1, 2015, 128) + seq("ru", 2, 1046, 24)
    pairs = align(kk + ru)
    assert statuses(pairs) == {"match": 4, "missing_ru": 2}
    assert {p.kk.value for p in findings(pairs)} == {83, 6}  # type: ignore[union-attr]


def test_same_value_in_another_paragraph_does_not_steal_the_match() -> None:
    kk = seq("kk", 1, 2016, 15) + seq("kk", 2, 2016, 8)
    ru = seq("ru", 1, 2016, 15) + seq("ru", 2, 2016, 9)
    pairs = align(kk + ru)
    (bad,) = findings(pairs)
    assert bad.status == "changed" and bad.kk.para_no == 2 and bad.ru.para_no == 2  # type: ignore[union-attr]


def test_parts_are_aligned_separately() -> None:
    kk = [fig("kk", 1, 20171025, 0, kind="date", part="cover")] + seq("kk", 1, 2017)
    ru = [fig("ru", 1, 2017, 0, kind="year", part="cover")] + seq("ru", 1, 20171025, kind="date")
    pairs = align(kk + ru)
    assert not any(p.status == "match" for p in pairs)
    assert all((p.kk or p.ru).part == (p.ru or p.kk).part for p in pairs)  # type: ignore[union-attr]


def test_empty_and_one_sided_inputs() -> None:
    assert align([]) == []
    kk = seq("kk", 1, 1, 2, 3)
    pairs = align(kk)
    assert statuses(pairs) == {"missing_ru": 3}


def test_deterministic() -> None:
    kk = seq("kk", 1, 5, 5, 7, 7) + seq("kk", 2, 5, 7)
    ru = seq("ru", 1, 7, 5, 7, 5) + seq("ru", 2, 7, 5)
    first = [(p.kk and p.kk.figure_id, p.ru and p.ru.figure_id, p.status) for p in align(kk + ru)]
    for _ in range(3):
        again = [(p.kk and p.kk.figure_id, p.ru and p.ru.figure_id, p.status) for p in align(kk + ru)]
        assert again == first


def test_large_letter_aligns_every_figure() -> None:
    # 100 paragraphs of 5 figures per language; the ru side has the last
    # figure of every 10th paragraph changed. Not timed: speed is measured
    # by hand (about 20 ms, see the module docstring of etl.align); this checks the result.
    kk: list[Figure] = []
    ru: list[Figure] = []
    for p in range(1, 101):
        values = [1000 * p + k for k in range(5)]
        kk += seq("kk", p, *values)
        ru += seq("ru", p, *(values[:-1] + [values[-1] + (1 if p % 10 == 0 else 0)]))
    pairs = align(kk + ru)
    assert statuses(pairs) == {"match": 490, "changed": 10}
    assert_partition(kk + ru, pairs)


@pytest.mark.parametrize("figures_order", ["kk_first", "interleaved"])
def test_input_order_between_languages_does_not_matter(figures_order: str) -> None:
    kk = seq("kk", 1, 2015, 128, 12)
    ru = seq("ru", 1, 2015, 128, 13)
    figures = kk + ru if figures_order == "kk_first" else [f for pair in zip(ru, kk) for f in pair]
    (bad,) = findings(align(figures))
    assert bad.status == "changed"


# --------------------------------------------------------------------------- validate


def test_pairs_frame_has_the_contract_columns() -> None:
    from etl.validate import PAIR_COLUMNS, pairs_frame

    kk = seq("kk", 1, 14, kind="money", scale=1e6, unit="KZT")
    pairs = align(kk + seq("ru", 1, 14, kind="money", scale=1e9, unit="KZT"))
    frame = pairs_frame(pairs)
    assert tuple(frame.columns) == PAIR_COLUMNS
    row = frame.iloc[0]
    assert (row.status, row.kind, row.value_kk, row.scale_kk, row.scale_ru) == ("changed", "money", 14, 1e6, 1e9)
    assert pairs_frame([]).empty


def test_each_broken_agreement_rule_is_named() -> None:
    from etl.validate import failed_rules

    kk = [fig("kk", 1, 113, 0, role="registered"), fig("kk", 1, 13, 20, role="solved"), fig("kk", 1, 7, 30)]
    kk += [fig("kk", 1, 5, 40), fig("kk", 1, 9, 50)]
    ru = [fig("ru", 1, 13, 0, role="registered"), fig("ru", 1, 113, 20, role="solved"), fig("ru", 1, 8, 30)]
    ru += [fig("ru", 1, 9, 50)]
    pairs = align(kk + ru)
    rules = {pairs[row].status: broken for row, broken in failed_rules(pairs).items()}
    assert rules == {
        "swapped": ("aligned_as_match", "same_role_in_both_languages"),
        "changed": ("aligned_as_match", "cross_language_amount"),
        "missing_ru": ("aligned_as_match", "present_in_both_languages"),
    }


def test_a_match_with_different_amounts_is_still_a_finding() -> None:
    # The validator does not trust the aligner's status: the rule is on the values.
    a, b = fig("kk", 1, 5, 0), fig("ru", 1, 6, 0)
    pair = FigurePair("doc", a, b, "match")
    assert validate_pairs([pair]) == [pair]


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda a, b: [FigurePair("doc", a, b, "different")], "isin"),  # type: ignore[arg-type]
        (lambda a, b: [FigurePair("doc", a, b, "match"), FigurePair("doc", a, None, "missing_ru")], "one_pair_per_kk_figure"),
        (lambda a, b: [FigurePair("doc", a, b, "match"), FigurePair("doc", None, b, "missing_kk")], "one_pair_per_ru_figure"),
        (lambda a, b: [FigurePair("doc", a, b, "missing_kk")], "status_matches_sides"),
    ],
)
def test_impossible_tables_raise(make: object, rule: str) -> None:
    from etl.errors import EtlError
    from etl.validate import PairsInvariantError

    a, b = fig("kk", 1, 5, 0), fig("ru", 1, 5, 0)
    with pytest.raises(PairsInvariantError) as info:
        validate_pairs(make(a, b))  # type: ignore[operator]
    assert isinstance(info.value, EtlError)
    assert any(r.startswith(rule) for r in info.value.failures)


# --------------------------------------------------------------------------- the real letter


def _sample_paragraphs(
    regroup: dict[str, object] | None = None,
) -> list[Paragraph]:
    """The sample letter's blocks as paragraphs, optionally re-cut in one language.

    `regroup` = {"merge": (lang, every_n)} joins every n-th paragraph with the
    next one; {"split": (lang, every_n)} cuts every n-th paragraph after its
    first sentence — as an extractor may cut one language differently.
    """
    from etl.fixtures import load_sample

    out: list[Paragraph] = []
    for (lang, part), blocks in load_sample().ordered_sections():
        texts = [b.text.replace("\n", " ") for b in blocks]
        if regroup and "merge" in regroup and regroup["merge"][0] == lang:  # type: ignore[index]
            every = regroup["merge"][1]  # type: ignore[index]
            merged: list[str] = []
            for n, t in enumerate(texts):
                if n % every == 1 and merged:
                    merged[-1] += " " + t
                else:
                    merged.append(t)
            texts = merged
        if regroup and "split" in regroup and regroup["split"][0] == lang:  # type: ignore[index]
            every = regroup["split"][1]  # type: ignore[index]
            cut: list[str] = []
            for n, t in enumerate(texts):
                at = t.find(". ")
                if n % every == 0 and 0 < at < len(t) - 2:
                    cut += [t[: at + 1], t[at + 2 :]]
                else:
                    cut.append(t)
            texts = cut
        out += [Paragraph(lang, part, n, 1, t) for n, t in enumerate(texts, start=1)]  # type: ignore[arg-type]
    return out


def _sample_pairs(paras: list[Paragraph]) -> tuple[list[Figure], list[FigurePair]]:
    from etl.figures import build_figures

    figures = build_figures("sample-letter", paras)
    return figures, align(figures, paras)


def test_the_real_letter_has_no_findings() -> None:
    figures, pairs = _sample_pairs(_sample_paragraphs())
    assert len(figures) > 300
    assert findings(pairs) == []
    assert_partition(figures, pairs)
    assert validate_pairs(pairs) == []


@pytest.mark.parametrize(
    "regroup",
    [
        {"merge": ("ru", 3)},
        {"merge": ("kk", 2)},
        {"split": ("kk", 3)},
        {"split": ("ru", 2)},
        {"merge": ("ru", 4), "split": ("kk", 5)},
        {"merge": ("kk", 2), "split": ("ru", 2)},
    ],
    ids=["ru-merged", "kk-merged", "kk-split", "ru-split", "both", "both-dense"],
)
def test_the_real_letter_cut_differently_has_no_findings(regroup: dict[str, object]) -> None:
    paras = _sample_paragraphs(regroup)
    plain = _sample_paragraphs()
    assert len(paras) != len(plain)
    figures, pairs = _sample_pairs(paras)
    assert findings(pairs) == []
    assert_partition(figures, pairs)


def test_the_real_letter_cut_differently_still_shows_a_change() -> None:
    paras = _sample_paragraphs({"merge": ("ru", 3)})
    edited = [
        Paragraph(p.lang, p.part, p.para_no, p.page, p.text.replace("раскрыто – 12,", "раскрыто – 21,"))
        for p in paras
    ]
    assert edited != paras
    _, pairs = _sample_pairs(edited)
    (bad,) = findings(pairs)
    assert bad.status == "changed"
    assert (bad.kk.surface, bad.ru.surface) == ("12", "21")  # type: ignore[union-attr]
