"""Vocabulary and compiled patterns of the figures reader.

Kazakh and Russian words are accepted in either language's text: a Russian
letter quoting a Kazakh date reads the same, and nothing here depends on
which language a paragraph was tagged with.
"""

from __future__ import annotations

import re

L = "a-zа-яёәғқңөұүһі"  # lower-case letters (patterns below use re.I where case does not matter)
U = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
NB = "\u00a0\u202f\u2009"
NOT_L = rf"(?![{L}])"

RU_MONTH = (
    r"(январ[ьяюе]|феврал[ьяюе]|март[аеу]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]"
    r"|август[аеу]?|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе])" + NOT_L
)
RU_MONTH_NO = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "маю": 5, "мае": 5,
    "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйе", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
# "қыркүйек" voices its last consonant before a vowel: "қыркүйегі", "қыркүйегінде".
_KK_MONTH_STEMS = [m if m != "қыркүйе" else "қыркүйе[кг]" for m in KK_MONTHS]
# Kazakh months are written in lower case; "Қазан" is the city of Kazan.
KK_MONTH = "(" + "|".join(_KK_MONTH_STEMS) + rf")[{L}]{{0,6}}" + NOT_L + r"(?!\s+қала)"
# Between a day and a year a capitalised month is a month ("08 Қазан 2015").
KK_MONTH_CAP = "(" + "|".join(_KK_MONTH_STEMS) + rf")[{L}]{{0,6}}" + NOT_L
MONTH_ANY = rf"(?:(?i:{RU_MONTH})|{KK_MONTH})"


def month_no(word: str, capital_ok: bool = False) -> int:
    """1-12 for a month name; 0 for a capitalised Kazakh one ("Қазан" the city) unless `capital_ok`."""
    w = word.lower()
    for i, stem in enumerate(KK_MONTHS, start=1):
        if w.startswith(stem):
            return i if word[0].islower() or capital_ok else 0
    return RU_MONTH_NO[w[:3]]


YEAR_WORD = (
    rf"(?:г\.\s?г\.|гг\.?|г\.|г{NOT_L}|год(?:ы|а|у|ом|ов|ам|ами|ах)?{NOT_L}"
    rf"|жыл[{L}]*|ж\.(?:\s?ж\.)?)"
)
# A year word typed against the digits ("1997году", "2015жылы"): the word's
# own inflections only, so "1500жылқы" (horses) and "1200жылу" stay no year.
YEAR_WORD_GLUED = re.compile(rf"(?:год(?:ы|а|у|ом|ов|ах)?|жыл(?:ы|ғы|дың|ға|дан|да|дар[{L}]*)?){NOT_L}", re.I)
YEAR_MARK_GLUED = re.compile(rf"(?:г\.\s?г\.|гг\.?|г\.?|ж\.){NOT_L}", re.I)
DATE_YEAR_WORD = rf"(?:\s*(?:г\.\s?г\.|гг\.|г\.|г{NOT_L}|года|году|жылғы|жылы|ж\.))?"
SCALE = re.compile(
    rf"(?:(млн|млрд|трлн|тыс)(?:\.|{NOT_L})|(миллион|миллиард|триллион|тысяч|мың)[{L}]*)", re.I
)
CURRENCY = re.compile(
    rf"(?:(теңге|тенге)[{L}]*|тг\.?{NOT_L}|kzt\b|₸|(руб)(?:л[{L}]*|\.|{NOT_L})|(долл)[{L}]*\.?|usd\b|\$"
    rf"|евро{NOT_L}|eur\b|€)",
    re.I,
)
PERCENT = re.compile(rf"(?:%|(?:процент|пайыз)[{L}]*)", re.I)
# A month as a length: "месяцев", "мес." (or "мес"), Kazakh "ай" with its case and
# possessive endings only (never "аймақ", "айналым", "айыппұл").
MONTH_WORD = rf"(?:месяц[{L}]*|мес(?:\.|{NOT_L})|ай(?:да|ға|дан|ы|ын|ында|дың|лық)?{NOT_L})"
DURATION = [
    (re.compile(rf"(?:лет|год[{L}]*|жыл[{L}]*){NOT_L}", re.I), "year"),
    (re.compile(MONTH_WORD, re.I), "month"),
    (re.compile(rf"(?:недел[{L}]*|апта[{L}]*)", re.I), "week"),
    (re.compile(rf"(?:д(?:ень|ня|ней|ням|нях)|сут(?:ок|ки)|күн[{L}]*){NOT_L}", re.I), "day"),
]
YEAR_OR_DURATION = re.compile(YEAR_WORD, re.I)
# Stems of the Kazakh legal words that follow the number: бап, тармақ, бөлік, тарау...
# "1-кесте" (table 1) refers to a part of the document as they do.
KK_LEGAL = re.compile(r"(?:бап|баб|тармақ|тармағ|бөлік|бөліг|бөлім|тарау|абзац|кесте)", re.I)

# ---------------------------------------------------------------- patterns at a position

TRIGGER = re.compile(
    r"\d|№"
    r"|(?<![\w.])(?:ст\.\s?ст|п\.\s?п|ч\.\s?ч|стст|ст|пп|п|ч|подп|гл|разд|абз)\.(?=\s*\d)"
    r"|(?<!\w)(?:стать|подпункт|пункт|част|глав|раздел|таблиц)[а-яё]*\s+(?=\d)"
    rf"|(?<!\w){RU_MONTH}\s+(?=\d{{4}}(?!\d))"
    rf"|(?<!\w){RU_MONTH}\s+(?:по|до|[-–—])\s+(?={RU_MONTH}\s+\d{{4}}(?!\d))"
    rf"|(?<![\w])(?-i:{KK_MONTH})\s+(?=\d{{1,2}}(?!\d|[.,:]\d))"
    r"|(?<!\w)тел(?:\.:?|:)\s*(?=[+(]?\d)"
    r"|\$\s*(?=\d)",
    re.I,
)
LEGAL_PREFIX = re.compile(
    r"(?:(?:ст\.\s?ст|п\.\s?п|ч\.\s?ч|стст|ст|пп|п|ч|подп|гл|разд|абз)\.\s*"
    r"|(?:стать(?:я|и|е|ей|ёй|ю|ями|ях)|подпункт[а-я]*|пункт(?:а|у|ом|е|ы|ов|ам|ами|ах)?"
    r"|част(?:ь|и|ью|ей|ями|ях)|глав(?:а|ы|е|у|ой|ою)|раздел(?:а|у|ом|е|ы|ов)?|таблиц(?:а|ы|е|у|ей|ой))\s+)"
    r"(\d+(?:\.\d+)*)(?!\d)",
    re.I,
)
# "ст.ст. 190, 191", "пунктов 1, 2": a plural marker heads a comma list.
LEGAL_PLURAL = re.compile(
    r"(?:ст\.\s?ст|п\.\s?п|ч\.\s?ч|стст|пп)\.|стат(?:ей|ьями|ьях)|пункт(?:ы|ов|ами|ах)|част(?:ей|ями|ях)"
    r"|раздел(?:ы|ов)",
    re.I,
)
NUMERO = re.compile(
    rf"№\s*(?:(?:исх|вх)[а-я]*\.?:?\s*)?(?:[{U}]{{1,6}}\s?-?\s?)?"
    rf"(\d+(?:[-/.]\d+)*(?:-[{U}]{{1,4}}(?!\w))?)"
)
PHONE = re.compile(r"\+?\(?\d[\d\s()\-]{3,24}\d(?!\d)")
# A hyphen and a word after a number: a case ending ("74-12-34-ке") or an
# ordinal's noun ("2-санаттағы").
HYPHEN_WORD = re.compile(rf"[-–‑][{L}{U}]")
RU_MONTH_YEAR = re.compile(rf"{RU_MONTH}\s+(\d{{4}})(?!\d)" + DATE_YEAR_WORD, re.I)

ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?![\d\-])")
# "2012.06.28"; "28.04.01" (a two-digit year); "04.2000" (month and year).
YMD_DATE = re.compile(r"(\d{4})\.(\d\d)\.(\d\d)(?!\d|\.\d)" + DATE_YEAR_WORD, re.I)
YY_DATE = re.compile(r"(\d\d)\.(\d\d)\.(\d\d)(?![\d\-‑]|[.,]\d)" + DATE_YEAR_WORD, re.I)
MM_YYYY = re.compile(r"(0[1-9]|1[0-2])\.(\d{4})(?![\d]|[.,]\d)" + DATE_YEAR_WORD, re.I)
# Clock times. With a colon always ("22:00", "15:52:28"); with a dot only where
# a time word or a Kazakh case ending says so ("сағат 12.00-де", "с 9.00 до 20.00").
TIME_COLON = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?![\d:]|[.,]\d)")
TIME_DOT = re.compile(r"([01]?\d|2[0-3])\.([0-5]\d)(?![\d]|[.,]\d|\s*(?:раз|есе))")
# The words of the hour, in both languages: "сағат 10-да", "в 10 часов".
_HOUR_WORD = r"сағат|сағ\.|час[а-я]*|ч\."
TIME_BEFORE = re.compile(rf"(?<![\w.])(?:{_HOUR_WORD}|в|с|до|от|по|к|около)\s*$", re.I)
TIME_AFTER = re.compile(
    rf"(?:[-‑](?:да|де|та|те|ға|ге|қа|ке|дан|ден|тан|тен|нан|нен|ге дейін|ға дейін){NOT_L}"
    rf"|\s*(?:бастап|дейін|аралығында|{_HOUR_WORD}|мин[{L}]*)"
    r"|\s?[-–—]\s?(?:[01]?\d|2[0-3])[.:][0-5]\d)",
    re.I,
)
# "с 9-00 до 18-00", "сағат 10-00-нан": a hyphen between hours and minutes
# (see etl.figures.reader for when it is a time and not a range).
TIME_HYPHEN = re.compile(r"([01]?\d|2[0-3])[-‑]([0-5]\d)(?![\d]|[.,]\d|[-–‑]\d|\s*(?:раз|есе))")
HOUR_WORD_BEFORE = re.compile(rf"(?<![\w.])(?:{_HOUR_WORD})\s*$", re.I)
HOUR_WORD_AFTER = re.compile(rf"(?:[-‑][{L}]+)?\s*(?:{_HOUR_WORD})", re.I)
# The two ends of a range of hyphenated times: "9-30 до 18-30", "9-30 – 18-30",
# "9-30-дан 18-30-ға".
_TIME_RANGE_JOIN = r"(?:[-‑](?:дан|ден|тан|тен|нан|нен)\s+|\s*(?:до|[-–—])\s*)"
TIME_HYPHEN_RANGE_END = re.compile(
    _TIME_RANGE_JOIN + r"(?:[01]?\d|2[0-3])[-‑]([0-5]\d)(?![\d]|[.,]\d|[-–‑]\d)", re.I
)
TIME_HYPHEN_RANGE_START = re.compile(r"(?:[01]?\d|2[0-3])[-‑]([0-5]\d)" + _TIME_RANGE_JOIN + "$", re.I)
# The end of a clause after a number: nothing, or punctuation. A range of
# times that are not whole hours ends there or takes a time word (TIME_AFTER);
# a noun or a percent sign makes it a range of numbers ("с 10-15 до 20-25 человек").
CLAUSE_END = re.compile(r"\s*(?:$|[.,;:!?)»\"”])")
NUM_DATE = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})(?!\d|\.\d)" + DATE_YEAR_WORD, re.I)
_QL, _QR = "[«\"“]?", "[»\"”]?"  # "«31» шілдедегі": a day in quotes
_KK_YEAR = rf"(\d{{4}})\s*(?:жылғы|жылы|жылдың|ж\.){NOT_L}\s*"
# "2014 жылғы 23 желтоқсанда", "2015 жылғы 15-18 қыркүйек" (a day range, one year).
KK_DATE = re.compile(
    rf"{_KK_YEAR}{_QL}(\d{{1,2}})(?:\s?[-–—]\s?(\d{{1,2}}))?{_QR}(?:-[{L}]+)?\s+{KK_MONTH}", re.I
)
# "1993 жылғы шілде – тамыз аралығында": one year for two months.
KK_MONTH_RANGE = re.compile(rf"{_KK_YEAR}{KK_MONTH}\s?[-–—]\s?{KK_MONTH}(?:\s+ай[{L}]*)?", re.I)
KK_MONTH_YEAR = re.compile(rf"{_KK_YEAR}{KK_MONTH}(?:\s+ай[{L}]*)?", re.I)
# After a month in the genitive, days: "қыркүйектің 24-26 күндері", "сәуірдің 20-сынан 25-іне дейін".
KK_GEN_DAYS = re.compile(
    rf"\s+(\d{{1,2}})(?:-[{L}]+)?(?:\s?[-–—]\s?(\d{{1,2}})(?:-[{L}]+)?|\s+(\d{{1,2}})-[{L}]+\s+дейін)?"
    rf"(?![\d.,:]\d|\s+{MONTH_ANY})",
    re.I,
)
KK_GENITIVE = re.compile(r"(?:дың|дің|тың|тің|ның|нің)$", re.I)
DAY_MONTH = re.compile(
    rf"(\d{{1,2}}){_QR}\s+{MONTH_ANY}(?:\s+(\d{{4}})(?!\d){DATE_YEAR_WORD})?", re.I
)
# "15-18 сентября 2015 года": two dates.
DAY_RANGE_MONTH = re.compile(
    rf"(\d{{1,2}})\s?[-–—]\s?(\d{{1,2}})\s+{MONTH_ANY}(?:\s+(\d{{4}})(?!\d){DATE_YEAR_WORD})?", re.I
)
# "08 Қазан 2015": with a day and a year a capitalised Kazakh month is a month.
DAY_CAP_MONTH_YEAR = re.compile(rf"(\d{{1,2}})\s+(?i:{KK_MONTH_CAP})\s+(\d{{4}})(?!\d){DATE_YEAR_WORD}")
# "с мая по декабрь 2012 года", "с июля по август 1993 года": one year for two months.
RU_MONTH_RANGE = re.compile(rf"{RU_MONTH}\s+(?:по|до|[-–—])\s+{RU_MONTH}\s+(\d{{4}})(?!\d)" + DATE_YEAR_WORD, re.I)
ID_CHAIN = re.compile(
    rf"\d+(?:[-/]\d+)+-[{U}]{{1,4}}(?!\w)|\d+(?:[-/]\d+){{2,}}(?![\d])"
)
RATIO = re.compile(r"(\d+)/(\d+)(?![\d/]|[-–—]\d)")
RANGE = re.compile(r"(\d+(?:,\d+)?)[-–—](\d+(?:,\d+)?)(?![\d/]|,\d|[-–—]\d)")
DOTTED = re.compile(r"\d+(?:\.\d+){2,}(?!\d)")
DIGITS = re.compile(r"\d+")
HARD_GROUP = re.compile(rf"[{NB}](\d{{3}})(?![\d])")
# A decimal comma may follow the last group ("13 628,4 млрд"); a dot, slash or dash may not.
SOFT_GROUP = re.compile(r" (\d{3})(?![\d]|[./\-–]\d)")
FRACTION = re.compile(r"[.,](\d+)(?![\d]|[.,]\d)")
SUFFIX = re.compile(rf"[-‑]([{L}{U}]+)")
WS = re.compile(r"\s*")
WORD_RUN = re.compile(r"\w+")

# "−8,7 %", "-3,2%": a sign touching the digits of an amount.
MINUS = "−-–"
# Roman numerals: "VIII форум", "ІІ дәрежелі" (with the Cyrillic І and Х too).
ROMAN = re.compile(rf"(?<![\w.\-‑])([IVXІХ]{{1,6}})(?:[-‑]([{L}]{{1,3}}))?(?=\s+[{L}{U}]|\s*[(,.]\s)")
# A lone letter is a numeral only before these words (else an initial, a grade, a name).
ROMAN_SINGLE_BEFORE = re.compile(
    r"\s+(?:степен|дәреже|созыв|шақырылым|съезд|құрылтай|конгресс|форум|сессия|ғасыр|век|класс|сынып|"
    r"тоқсан|квартал|кезең|этап|очеред|кезек|мерейтой|юбилей|халықаралық|международн|республик|"
    r"экономи|всемирн|дүниежүзілік|пленум|тур|разряд|категори|санат|группы|топ)",
    re.I,
)
# A phone number: 8 or +7 and eleven digits in groups ("8 7145 42 10 53", "+7 (727) 273-32-26").
PHONE_GROUP = re.compile(r"(?:\s?[\-–]\s?|\s?\(|\)\s?|\s)?(\d{1,7})")
PHONE_GROUP_DIGIT = re.compile(r"\d|[.,]\d")
# Units glued to the digits ("60м", "1500м", "4х400м", "3х4"): a number all the same.
GLUED_UNIT = re.compile(rf"(?:мм|см|км|м|кг|г|т|га|л|мл|мб|гб)(?:[²³23])?{NOT_L}", re.I)
DIMENSION = re.compile(r"[xхX×Х](\d+)")
# What to skip after digits glued to a word: the rest of the word and a decimal part.
GLUED_TAIL = re.compile(r"\w+(?:[.,]\d+)?")
