"""Stage 2 — figures: a letter's paragraphs become figure rows.

In: the `Paragraph`s of one `Letter` and the letter's date. Out: one `Figure`
per number (`build_figures`), with value, scale, unit, kind, role, metric,
period and the sentence around it. The modules: `reader` (numbers in a
paragraph, with `patterns`, `tails`, `roles`, `numwords` and `compounds`), `periods`
(what time a figure covers), `metrics` (the catalogue of named series),
`series` (what a statistic measures, read from the text without a
catalogue), `cells` (table cells), `rows` (figures built from all of these).

Every number of one paragraph is read with value, scale, unit, kind and role:
`read_numbers(text, lang)` returns one `NumberToken` per number, in text order,
with non-overlapping spans. The Kazakh and the Russian wording of the same
figure must come out with the same kind, value, scale and unit: that is what
lets the aligner compare the two languages. The conventions:

kind        value                                       scale        unit
----------  ------------------------------------------  -----------  --------------------
statistic   the number as written (128, 3.6, 14)        1, 1e3, 1e6, None, or "percent"
                                                        1e9, 1e12
money       as written (14 for "14 млн. теңге")         idem         "KZT", "USD", "RUB",
                                                                     "EUR"
year        the year (2015)                             1            None
year_range  two tokens, both ends as full years         1            None
            ("2013-14" -> 2013 and 2014)
date        YYYYMMDD (20141223); month and year only    1            None
            -> YYYYMM00 (20160700); day and month only
            -> MMDD (1025)
duration    the length (3.6, 10)                        1            "year", "month",
                                                                     "week", "day"
identifier  the main number: after the last "/" if any  1            None
            (1-3-6-43/2914-Д -> 2914), else the digits
            of an all-number chain (72-22-37 -> 722237),
            else the last number (№ДЗ-256 -> 256); a
            phone its national number, without 8 or +7
            (8 (7172) 71-37-12 -> 7172713712); a
            digit run longer than MAX_DIGITS -> its last
            MAX_DIGITS digits
legal_ref   the article/point/part number (ст.190,      1            None
            190-бабы -> 190); a dotted number a.b.c
            -> a + 0.bbbccc, three digits a level
            (п.2.1.13 = 2.1.13-тармағы -> 2.001013)
ratio       two tokens, one per side ("63/436")         1            None
count       a number written in words (жеті = семи);    1            None
            with a duration, money or percent word it
            takes that kind instead; from_words=True

Words decide kind and unit in both languages alike: "2015 году"/"2015 жылы" is
a year, "3,6 годам"/"3,6 жылға" a duration; a four-digit number 1900-2100
without a year word is a plain statistic. A bare number joined to the next
number takes its kind: years by "," "и" "до" "по" "және" "мен" or a dash
("в 2015 и 2016 г.г.", "с 2011 до 2013 годы"); legal references by "," "и"
"және" ("190, 191-баптары"); durations by "и" "до" "және" ("от 3 до 5 лет");
scale and currency only by "до" or a dash ("от 5 до 10 млн. тенге"). After a
Russian legal marker the list goes on by "и" ("ст. 190 и 191"), and also by
"," when the marker is plural ("ст.ст. 190, 191", "пп. 1, 2").

Hyphens and dashes between a label and a number ("раскрыто – 12",
"системы-2") are separators. A sign touching an amount is kept: the minus
sign "−" always, a hyphen or dash after a space or bracket before a decimal,
percentage or scaled amount ("-3,2%"), so such values are negative. Digits
glued to a word ("5G", "A320") are no number, nor is their decimal part,
but a year word, scale or currency typed against them is a missing space
("1997году", "2015жылы", "5млн", "3000тг"); a
lower-case Cyrillic word typed against the digits is a missing space
("мердігерлер100,7 млн"); an upper-case code before a hyphen makes an
identifier ("ДЗ-256"). A clock time ("22:00", "сағат 12.00-де", "с 9-00
до 18-00") is a statistic with unit "time" and value hours + minutes / 100. Roman numerals
and counts inside compounds ("трехдневный", "онжылдық") are read by
`compounds` (see there). A space groups thousands ("1 419") only when the first
group has 1-3 digits and every further group exactly 3 digits; NBSP, narrow
NBSP and thin space always group.

Table cells (`cells`): `build_cell_figures(doc_id, tables, letter_date)`
gives one figure per cell holding a number, with its table, row, column,
row label and column header, the header's scale and unit, and the column's
year as the period.

`surface` is the number with what decided its scale, unit and kind: a case
suffix ("45-тен"), scale and currency ("14 млн. теңгеден", "$5 млн"), the
percent sign or word, a year or duration word ("2015 году"), a legal marker
("ст.190"), the whole date phrase, the whole identifier ("№ДЗ-256"; a phone
after "тел." without the marker). Roles and coordination partners are not
part of it. `role` is one of ROLES or None (see `etl.figures.roles`; the dates and times
of a page's publication stamp take `posted` or `modified`, `etl.figures.stamps`).
"""

from .cells import build_cell_figures
from .grouping import grouping_of
from .metrics import Catalogue, CatalogueError, catalogue, load_catalogue, parse_catalogue, resolve_catalogue
from .reader import read_numbers
from .roles import ROLES
from .rows import build_figures
from .series import COUNTERS, SERIES_KINDS, is_modifier
from .tails import MAX_DIGITS

__all__ = [
    "grouping_of",
    "COUNTERS",
    "MAX_DIGITS",
    "ROLES",
    "SERIES_KINDS",
    "Catalogue",
    "CatalogueError",
    "build_cell_figures",
    "build_figures",
    "catalogue",
    "is_modifier",
    "load_catalogue",
    "parse_catalogue",
    "read_numbers",
    "resolve_catalogue",
]
