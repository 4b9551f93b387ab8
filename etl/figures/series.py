"""What a statistic measures, as a series key found without a catalogue.

A Russian figure's series is read from its own text: the noun phrase the
number counts ("128 правонарушений", "1419 зарубежных противозаконных
ресурсов", "лишь в 875 из 1694 случаев"), the label it is bound to (a verb or
participle: "зарегистрировано", "раскрыто – 12", "выявлено") and, for a
breakdown, the dimension it is broken down by (a region, a category or an age
band named before or after a dash: "Алматы – 11", "703 – экстремистского
характера", "до 3 лет – 2"). Words are reduced to their Russian lemmas with
pymorphy3 and stop words are dropped, so the same measure written in another
letter, in another case or number, gets the same key:

    <measure lemmas>/<label lemma>[<dimension lemmas>] (<unit>)

e.g. ``правонарушение/зарегистрировать``,
``сотрудник/составлять[алматы]``, ``субсидия/выделить (KZT)``.

Kazakh has no morphological analyser of the same quality, so the key is the
Russian one: a Kazakh figure takes the key of the Russian figure it is paired
with (etl.align), and keeps its own words beside it as its readable label.
A figure whose number has neither a phrase of its own nor one to inherit in
its sentence takes the first noun phrase of its sentence, so every statistic
has a series. A number that counts nothing is keyed as what it is: a list
item's number (``пункт_список``), a number inside a web address
(``веб_адрес``), a clock time with no noun of its own (``время (time)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..models import Lang, NumberToken

SERIES_KINDS = frozenset({"statistic", "money"})

_WORD = re.compile(r"[^\W\d_]+(?:[-‑][^\W\d_]+)*|\d+(?:[.,]\d+)?|[^\w\s]")
_DASHES = "-‐‑‒–—"
_CLAUSE_PUNCT = ",;:()«»\"'"
# Words that say nothing about what is measured: prepositions, particles,
# quantifiers, scale and currency words (the unit is part of the key anyway).
_STOP = frozenset(
    """
    в во на по с со к ко из от до за о об при для без под над у и а но или ли же лишь только всего
    почти около свыше более менее порядка примерно том числе т ч г гг т.г тыс млн млрд трлн тенге
    тенг руб рубль доллар сша евро процент который этот тот весь свой его её их год месяц день
    также еще ещё уже ним них им сумма размер общий количество число итого
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    понедельник вторник среда четверг пятница суббота воскресенье час минута неделя
    """.split()
)
_LABEL_POS = frozenset({"VERB", "PRTS", "INFN", "ADJS"})
# Copulas say nothing about what is counted ("составляет 59 единиц").
_NO_LABEL = frozenset({"составлять", "составить", "иметь", "быть", "являться", "насчитываться", "насчитывать", "оставаться", "остаться"})
# Counting words: the thing counted is the sentence's subject ("численность ... 59 единиц").
_COUNTERS = {"единица": "единица", "ед": "единица", "человек": "человек", "чел": "человек", "штука": "штука", "шт": "штука"}
_PHRASE_POS = frozenset({"NOUN", "ADJF", "PRTF"})
_REACH = 120


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def _parse(word: str) -> tuple[str, str | None, bool]:
    """(lemma, part of speech, is a place name) of a Russian word."""
    p = _analyzer().parse(word)[0]
    return p.normal_form.replace("ё", "е"), p.tag.POS, "Geox" in p.tag


@lru_cache(maxsize=65536)
def _genitive(word: str) -> bool:
    return any(p.tag.case == "gent" for p in _analyzer().parse(word)[:2])


@dataclass(frozen=True)
class SeriesKey:
    key: str
    label: str  # readable, in the figure's own language


def _items(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _is_word(item: str) -> bool:
    return item[0].isalpha()


def _phrase_after(words: Sequence[str]) -> tuple[list[str], list[str], str | None]:
    """(measure lemmas, words as written, label lemma) of the noun phrase right after a number."""
    lemmas: list[str] = []
    written: list[str] = []
    label: str | None = None
    i = 0
    while i < len(words) and len(written) < 4:
        w = words[i]
        low = w.lower()
        if low == "из" and i + 1 < len(words) and words[i + 1][0].isdigit():
            # "в 875 из 1694 случаев": the noun after the second number.
            i += 2
            continue
        if not _is_word(w):
            break
        lemma, pos, _ = _parse(low)
        if low in _STOP or lemma in _STOP:
            if lemmas:
                break
            i += 1
            continue
        if pos in _LABEL_POS:
            if label is None and not lemmas:
                label = lemma
                i += 1
                continue
            break
        if pos not in _PHRASE_POS:
            break
        written.append(w)
        if pos == "PRTF" and i + 1 < len(words) and _is_word(words[i + 1]) and _parse(words[i + 1].lower())[1] in {"NOUN", "ADJF"}:
            # "зарегистрированных интернет-мошенничеств": the participle is the label.
            label = label or lemma
        else:
            lemmas.append(lemma)
        if pos == "NOUN":
            # A noun in the genitive may follow ("единиц техники"): keep one.
            if i + 1 < len(words) and _is_word(words[i + 1]):
                nxt, npos, _ = _parse(words[i + 1].lower())
                if npos == "NOUN" and nxt not in _STOP and words[i + 1].lower() not in _STOP and _genitive(words[i + 1].lower()):
                    lemmas.append(nxt)
                    written.append(words[i + 1])
            break
        i += 1
    if lemmas and not any(_parse(w.lower())[1] == "NOUN" for w in written):
        # Adjectives alone ("349 экстремистских") describe a breakdown of
        # the head's measure, not a measure.
        return [], written, label
    return lemmas, written, label


def _label_near(before: Sequence[str], after: Sequence[str]) -> tuple[str | None, str | None]:
    """(lemma, word as written) of the nearest verb or short participle next to a number."""
    for i in range(4):
        for side in (before, after):
            if i < len(side) and _is_word(side[i]):
                lemma, pos, _ = _parse(side[i].lower())
                if pos in _LABEL_POS and lemma not in _STOP and lemma not in _NO_LABEL:
                    return lemma, side[i]
    return None, None


def _window(items: Sequence[str]) -> list[str]:
    out: list[str] = []
    for it in items:
        if not _is_word(it):
            break
        out.append(it)
        if len(out) == 4:
            break
    return out


def _dimension(text: str) -> tuple[str, str]:
    """(key, as written) of a breakdown label: lemmas, digits kept ("до 3 лет" -> "до 3 год")."""
    parts: list[str] = []
    for _, _, it in _items(text):
        if it[0].isdigit():
            if it.isdigit() and 1900 <= int(it) <= 2100:
                continue  # a year says when, not which part ("в 2022 году – 22 950")
            parts.append(it)
        elif _is_word(it):
            if any("a" <= ch.lower() <= "z" for ch in it):
                continue  # a web address or a Latin name is no breakdown
            lemma = _parse(it.lower())[0]
            if lemma not in {"в", "по", "и", "на", "том", "числе", "т", "ч", "г", "линия", "год", "за", "тот", "число", "из", "они"}:
                parts.append(lemma)
    return " ".join(parts), " ".join(text.split())


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in _CLAUSE_PUNCT + ".":
        i -= 1
    return i


def _clause_end(text: str, pos: int) -> int:
    i = pos
    while i < len(text) and text[i] not in _CLAUSE_PUNCT + ".":
        i += 1
    return i


@dataclass
class _Head:
    measure: str
    label: str | None
    written: str


def ru_series(text: str, tokens: Sequence[NumberToken], sentences: Sequence[int]) -> list[SeriesKey | None]:
    """The series key of every statistic or money figure of a Russian paragraph (None for other kinds)."""
    out: list[SeriesKey | None] = []
    head: _Head | None = None
    sentence_of = -1
    prev_end = 0
    for tok in tokens:
        if tok.kind not in SERIES_KINDS:
            out.append(None)
            prev_end = tok.end
            continue
        s = max(i for i, b in enumerate(sentences) if b <= tok.start)
        if s != sentence_of:
            sentence_of = s
            # A head carries on only inside its sentence ("раскрыто – 12"
            # after "зарегистрировано 128 правонарушений").
            head = None
        stop = next((b for b in sentences if b > tok.start), len(text))
        aside = _not_a_measure(text, tok, sentences[s])
        if aside:
            # A list item's number or a number inside a web address counts
            # nothing; it is keyed as what it is and heads nothing.
            out.append(SeriesKey(aside, aside.replace("_", " ")))
            prev_end = tok.end
            continue
        after_items = [it for _, _, it in _items(text[tok.end : tok.end + _REACH])]
        before_items = [it for _, _, it in _items(text[max(0, tok.start - _REACH) : tok.start])][::-1]
        measure, written, label = _phrase_after(after_items)
        dim_key = dim_written = ""
        if len(after_items) > 1 and after_items[0].lower() == "из" and after_items[1][0].isdigit():
            # "в 875 из 1694 случаев": a part of the total the next number states.
            dim_key = dim_written = "часть"
        # A label before a dash: "раскрыто – 12", "Алматы – 11", "до 3 лет – 2".
        if before_items and before_items[0] in _DASHES:
            dash_at = text.rfind(before_items[0], 0, tok.start)
            seg_start = max(_clause_start(text, dash_at), prev_end)
            seg = text[seg_start:dash_at]
            if not seg.strip():
                # "до 3 лет – 2": the label is the number phrase before the dash.
                seg = text[_clause_start(text, dash_at) : dash_at]
            words = [it for _, _, it in _items(seg) if _is_word(it)]
            labels = [w for w in words if _parse(w.lower())[1] in _LABEL_POS or _negated(w) and len(words) <= 2]
            labels = [w for w in labels if _parse(w.lower())[0] not in _NO_LABEL]
            if labels and not any(ch.isdigit() for ch in seg):
                label = _parse(labels[-1].lower())[0]
            elif seg.strip():
                dim_key, dim_written = _dimension(seg)
        elif after_items and after_items[0] in _DASHES:
            # "703 – экстремистского характера": the breakdown after the dash.
            seg = text[tok.end : _clause_end(text, tok.end)]
            seg = seg.lstrip(" " + _DASHES)
            if seg.strip():
                dim_key, dim_written = _dimension(seg)
            measure, written = [], []
        elif not measure and written:
            # "349 экстремистских материалов" is a noun phrase; "413 по
            # распространению порнографических" is a breakdown of the head.
            dim_key, dim_written = _dimension(" ".join(written))
        if label is None:
            label, _ = _label_near(_window(before_items), _window(after_items[len(written) :]))
        if not dim_key or dim_key == "часть":
            comma = max(text.rfind(",", 0, tok.start), text.rfind(";", 0, tok.start)) + 1
            place_key, place_written = _places(text, max(prev_end, comma, sentences[s]), tok.start)
            if place_key:
                dim_key, dim_written = place_key, place_written
        if measure and measure[0] in _COUNTERS:
            subject, subject_written = _first_phrase(text, sentences[s], tok.start, stop)
            measure = [subject, _COUNTERS[measure[0]]]
            written = [subject_written, *written]
        prev_end = tok.end
        if measure and head is not None and head.measure.startswith("_".join(measure)) and label is None:
            # "22 900 тыс. тонн зерна (в 2021 году – 16 400 тыс. тонн)": the head's measure, said short.
            measure, label = head.measure.split("_"), head.label
        if measure:
            m = "_".join(measure)
            if head is None:
                head = _Head(m, label, " ".join(written))
        elif tok.unit == "time":
            # A clock time with no noun of its own is a time of day, whatever the sentence counts.
            m, written = "время", []
        elif head is not None:
            m, label, written = head.measure, label if not dim_key and label else head.label, head.written.split()
        else:
            m, fallback = _first_phrase(text, sentences[s], tok.start, stop)
            written = fallback.split()
            head = _Head(m, label, fallback)
        key = m + (f"/{label}" if label else "") + (f"[{dim_key}]" if dim_key else "")
        if tok.unit:
            key += f" ({tok.unit})"
        readable = " ".join(written) or m
        if dim_written:
            readable += f" — {dim_written}"
        out.append(SeriesKey(key, readable))
    return out


# "14. Визы …", "«35. Медалью …", "2) Подать …": a list item's number, at the
# start of its sentence, before a dot or bracket and a capital.
_ITEM_BEFORE = re.compile(r"^[\s«\"'(]*$")
_ITEM_AFTER = re.compile(r"^(?:\.\d+)*[.)]\s*[«\"]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]")
# What a web address is written with, and what tells one from a name ("COVID-19").
_ADDRESS_CHARS = r"[\w./\-:?=&#%~]*"
# A slug ("…-v-2014-godu-…") is written in lower case; a name of the same
# shape is not ("SMART-Aqmola-2030", "Digital-Kazakhstan-2025").
_ADDRESS = re.compile(
    r"/|www\.|https?:|\.(?:html?|php|aspx?|kz|ru|com|org|net)\b|(?-i:[a-z]+[-_][a-z0-9]+[-_][a-z0-9]+)", re.IGNORECASE
)


def _not_a_measure(text: str, tok: NumberToken, sentence_start: int) -> str | None:
    """The key of a number that counts nothing: a list item's number or one inside a web address."""
    if tok.unit is None and _ITEM_BEFORE.match(text[sentence_start : tok.start]) and _ITEM_AFTER.match(text[tok.end :]):
        return "пункт_список"
    before = re.search(_ADDRESS_CHARS + "$", text[max(0, tok.start - 200) : tok.start])
    after = re.match(_ADDRESS_CHARS, text[tok.end :])
    glued = (before.group() if before else "") + text[tok.start : tok.end] + (after.group() if after else "")
    # "…-v-2014-godu-…", "152139.html", "/news/152139": part of an address.
    if re.search(r"[a-z]", glued, re.IGNORECASE) and _ADDRESS.search(glued):
        return "веб_адрес"
    return None


def _negated(word: str) -> bool:
    """"нераскрытыми", "неоконченных": a negated participle-like adjective labels a count."""
    lemma, pos, _ = _parse(word.lower())
    return pos == "ADJF" and lemma.startswith("не")


def _places(text: str, start: int, end: int) -> tuple[str, str]:
    """Place names between the previous figure and this one: a regional breakdown ("ДВД г. Алматы ... (11 ед.)")."""
    found = [it for _, _, it in _items(text[start:end]) if _is_word(it) and it[0].isupper() and _parse(it.lower())[2]]
    if not found:
        return "", ""
    return " ".join(_parse(w.lower())[0] for w in found), " ".join(found)


_NAMES = frozenset({"Name", "Surn", "Patr", "Orgn", "Geox", "Abbr"})


@lru_cache(maxsize=65536)
def _common_noun(word: str) -> bool:
    p = _analyzer().parse(word)[0]
    return p.tag.POS == "NOUN" and not (_NAMES & set(p.tag.grammemes))


def _first_phrase(text: str, start: int, end: int, stop: int) -> tuple[str, str]:
    """The first common noun of the sentence before a number, else after it
    (up to `stop`, the next sentence), as key and as written: the last resort."""
    for lo, hi in ((start, end), (end, stop)):
        for _, _, it in _items(text[lo:hi]):
            if _is_word(it) and _common_noun(it.lower()):
                lemma = _parse(it.lower())[0]
                if lemma not in _STOP:
                    return lemma, it
    return "значение", "значение"


_KK_STOP = frozenset("және мен бойынша оның ішінде шамамен жуық астам артық тек ғана жылы жылғы мың млн млрд теңге".split())


def kk_label(text: str, tok: NumberToken) -> str:
    """The Kazakh words a number is bound to, as written: the readable label beside the key."""
    before = [it for _, _, it in _items(text[max(0, tok.start - _REACH) : tok.start])][::-1]
    after = [it for _, _, it in _items(text[tok.end : tok.end + _REACH])]
    if before and before[0] in _DASHES:
        words = [w for w in _window(before[1:]) if w.lower() not in _KK_STOP][:3]
        return " ".join(reversed(words))
    words = [w for w in _window(after) if w.lower() not in _KK_STOP][:3]
    if words:
        return " ".join(words)
    return " ".join(reversed([w for w in _window(before) if w.lower() not in _KK_STOP][:3]))


def _lemmas(text: str) -> list[str]:
    """The content words of a table title or label, as Russian lemmas."""
    return [
        lemma
        for _, _, it in _items(text)
        if _is_word(it) and (lemma := _parse(it.lower())[0]) not in _STOP and len(lemma) > 1
    ]


# "Таблица 1.", "Табл. 2:", "1-кесте.", "Кесте 3": a table's number, which
# the next letter may give another (or none); it says nothing measured.
_TABLE_NO = re.compile(
    r"^\s*(?:(?:таблица|табл\.|кесте)\s*№?\s*\d+(?:\.\d+)*|\d+(?:\.\d+)*\s*[-‑]?\s*кесте)\s*[.:–—-]?\s*", re.IGNORECASE
)
_UNIT_WORD = r"(?:тыс|мың|млн|млрд|трлн|тонн\w*|тенге|теңге|человек|адам|единиц\w*|бірлік|гектар\w*|га|голов\w*|бас|шт)"
# A bracketed tail naming the scale or unit: "(тыс. тонн)", "(млн теңге)", "(%)".
_UNIT_TAIL = re.compile(rf"\s*\((?:[^()]*\b{_UNIT_WORD}\b[^()]*|\s*%\s*)\)\s*$", re.IGNORECASE)
# A row label's unit after its comma: "Мясо, тыс. тонн", "Доля, %", "Врачи, человек".
_ROW_UNIT = re.compile(rf",\s*(?:(?:в\s+)?(?:{_UNIT_WORD}\.?|%)\s*)+$", re.IGNORECASE)


def table_subject(title: str) -> str:
    """A table title less its number and its scale and unit: what the table is about."""
    title = _TABLE_NO.sub("", title, count=1)
    title = _UNIT_TAIL.sub("", title)
    return title.split(",")[0] if "," in title else title


def table_series(title: str, row_label: str, unit: str | None) -> SeriesKey:
    """The series of a Russian table cell: what its row counts, within what its table is about.

    Indicators are rows and years are columns, so the row label names the
    measure and the title (less its scale and unit words) the subject:
    ``<title lemmas>[<row lemmas>] (<unit>)``; a table without a title is
    keyed by its row alone. The same table in next year's letter, with the
    same title and rows, gives the same keys, whatever number the table has
    there ("Таблица 1. …") and whichever years the title names.
    """
    subject = "_".join(_lemmas(table_subject(title)))
    # The unit is in the key already; where a letter prints it, in the row or
    # in the title, must not change the key.
    row = "_".join(_lemmas(_UNIT_TAIL.sub("", _ROW_UNIT.sub("", row_label))))
    key = f"{subject}[{row}]" if subject and row else subject or row or "значение"
    if unit:
        key += f" ({unit})"
    readable = f"{title} — {row_label}" if title and row_label else title or row_label
    return SeriesKey(key, readable)


# Counting words a key may end in ("численность_единица"): the unit the
# subject is counted in, not what is counted.
COUNTERS = frozenset(_COUNTERS.values())


def is_modifier(lemma: str) -> bool:
    """Whether a key's word is an adjective or participle: it narrows the noun
    after it ("уголовный_правонарушение" is a kind of "правонарушение"), while
    a noun before another ("снижение_объем") is the head of its own measure."""
    return _parse(lemma)[1] in {"ADJF", "PRTF", "ADJS", "PRTS"}


def series_of(
    text: str, lang: Lang, tokens: Sequence[NumberToken], sentences: Sequence[int]
) -> list[SeriesKey | None]:
    """Series keys of a paragraph's figures: read in Russian; a Kazakh figure only gets its label here."""
    if lang == "ru":
        return ru_series(text, tokens, sentences)
    return [SeriesKey("", kk_label(text, t)) if t.kind in SERIES_KINDS else None for t in tokens]
