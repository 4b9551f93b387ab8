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
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
# Kazakh months are written in lower case; "Қазан" is the city of Kazan.
KK_MONTH = "(" + "|".join(KK_MONTHS) + rf")[{L}]{{0,6}}" + NOT_L + r"(?!\s+қала)"
MONTH_ANY = rf"(?:(?i:{RU_MONTH})|{KK_MONTH})"


def month_no(word: str) -> int:
    """1-12 for a month name; 0 for a capitalised Kazakh one ("Қазан" the city)."""
    w = word.lower()
    for i, stem in enumerate(KK_MONTHS, start=1):
        if w.startswith(stem):
            return i if word[0].islower() else 0
    return RU_MONTH_NO[w[:3]]


YEAR_WORD = (
    rf"(?:г\.\s?г\.|гг\.?|г\.|г{NOT_L}|год(?:ы|а|у|ом|ов|ам|ами|ах)?{NOT_L}"
    rf"|жыл[{L}]*|ж\.(?:\s?ж\.)?)"
)
YEAR_MARK_GLUED = re.compile(rf"(?:г\.\s?г\.|гг\.?|г\.?|ж\.){NOT_L}", re.I)
DATE_YEAR_WORD = rf"(?:\s*(?:г\.\s?г\.|гг\.|г\.|г{NOT_L}|года|году|жылғы|жылы|ж\.))?"
SCALE = re.compile(
    rf"(?:(млн|млрд|трлн|тыс)\.?{NOT_L}|(миллион|миллиард|триллион|тысяч|мың)[{L}]*)", re.I
)
CURRENCY = re.compile(
    rf"(?:(теңге|тенге)[{L}]*|тг\.?{NOT_L}|kzt\b|₸|(руб)[{L}]*\.?|(долл)[{L}]*\.?|usd\b|\$"
    rf"|евро{NOT_L}|eur\b|€)",
    re.I,
)
PERCENT = re.compile(rf"(?:%|(?:процент|пайыз)[{L}]*)", re.I)
DURATION = [
    (re.compile(rf"(?:лет|год[{L}]*|жыл[{L}]*){NOT_L}", re.I), "year"),
    (re.compile(rf"(?:месяц[{L}]*|мес\.|ай(?:да|ға|дан|ы|ын|ында|дың|лық)?{NOT_L})", re.I), "month"),
    (re.compile(rf"(?:недел[{L}]*|апта[{L}]*)", re.I), "week"),
    (re.compile(rf"(?:д(?:ень|ня|ней|ням|нях)|сут(?:ок|ки)|күн[{L}]*){NOT_L}", re.I), "day"),
]
YEAR_OR_DURATION = re.compile(YEAR_WORD, re.I)
# Stems of the Kazakh legal words that follow the number: бап, тармақ, бөлік, тарау...
KK_LEGAL = re.compile(r"(?:бап|баб|тармақ|тармағ|бөлік|бөліг|бөлім|тарау|абзац)", re.I)

# ---------------------------------------------------------------- patterns at a position

TRIGGER = re.compile(
    r"\d|№"
    r"|(?<![\w.])(?:ст\.\s?ст|п\.\s?п|ч\.\s?ч|стст|ст|пп|п|ч|подп|гл|разд|абз)\.(?=\s*\d)"
    r"|(?<!\w)(?:стать|подпункт|пункт|част|глав|раздел)[а-яё]*\s+(?=\d)"
    rf"|(?<!\w){RU_MONTH}\s+(?=\d{{4}}(?!\d))"
    r"|(?<!\w)тел(?:\.:?|:)\s*(?=[+(]?\d)"
    r"|\$\s*(?=\d)",
    re.I,
)
LEGAL_PREFIX = re.compile(
    r"(?:(?:ст\.\s?ст|п\.\s?п|ч\.\s?ч|стст|ст|пп|п|ч|подп|гл|разд|абз)\.\s*"
    r"|(?:стать(?:я|и|е|ей|ёй|ю|ями|ях)|подпункт[а-я]*|пункт(?:а|у|ом|е|ы|ов|ам|ами|ах)?"
    r"|част(?:ь|и|ью|ей|ями|ях)|глав(?:а|ы|е|у|ой|ою)|раздел(?:а|у|ом|е|ы|ов)?)\s+)"
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
RU_MONTH_YEAR = re.compile(rf"{RU_MONTH}\s+(\d{{4}})(?!\d)" + DATE_YEAR_WORD, re.I)

ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?![\d\-])")
NUM_DATE = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})(?!\d|\.\d)" + DATE_YEAR_WORD, re.I)
KK_DATE = re.compile(
    rf"(\d{{4}})\s*(?:жылғы|жылы|жылдың|ж\.){NOT_L}\s*(\d{{1,2}})(?:-[{L}]+)?\s+{KK_MONTH}", re.I
)
KK_MONTH_YEAR = re.compile(
    rf"(\d{{4}})\s*(?:жылғы|жылы|жылдың|ж\.){NOT_L}\s*{KK_MONTH}(?:\s+ай[{L}]*)?", re.I
)
DAY_MONTH = re.compile(
    rf"(\d{{1,2}})\s+{MONTH_ANY}(?:\s+(\d{{4}})(?!\d){DATE_YEAR_WORD})?", re.I
)
ID_CHAIN = re.compile(
    rf"\d+(?:[-/]\d+)+-[{U}]{{1,4}}(?!\w)|\d+(?:[-/]\d+){{2,}}(?![\d])"
)
RATIO = re.compile(r"(\d+)/(\d+)(?![\d/]|[-–—]\d)")
RANGE = re.compile(r"(\d+(?:,\d+)?)[-–—](\d+(?:,\d+)?)(?![\d/]|,\d|[-–—]\d)")
DOTTED = re.compile(r"\d+(?:\.\d+){2,}(?!\d)")
DIGITS = re.compile(r"\d+")
HARD_GROUP = re.compile(rf"[{NB}](\d{{3}})(?![\d])")
SOFT_GROUP = re.compile(r" (\d{3})(?![\d]|[.,/\-–]\d)")
FRACTION = re.compile(r"[.,](\d+)(?![\d]|[.,]\d)")
SUFFIX = re.compile(rf"[-‑]([{L}{U}]+)")
WS = re.compile(r"\s*")
WORD_RUN = re.compile(r"\w+")
