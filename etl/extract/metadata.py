"""Letter metadata: registration line, inquiry, signatory, sender, addressees."""

from __future__ import annotations

import re
from datetime import date

from ..figures import read_numbers
from ..models import Lang, LetterMeta, Paragraph

REGISTRATION = re.compile(
    r"№\s*исх\.?\s*:?\s*(?P<no>\S+)\s+от\s*:?\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})", re.IGNORECASE
)



_INQUIRY_NO = re.compile(r"№\s*([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{1,4}-\d+(?:/\d+)?)")
_SIGNATORY = re.compile(
    r"^(?:Министр|Вице-министр|Первый вице-министр|Председатель|Заместитель министра|Аким)"
    r"\s+([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.\s*(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.\s*)?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w-]+)"
)
# A ministry's name is its head noun, which declines ("Министерством"), and
# dependents in the genitive or after "по" that do not: "внутренних дел",
# "по чрезвычайным ситуациям", "труда и социальной защиты населения",
# "Республики Казахстан". Read up to the first punctuation or the first word
# that cannot be part of a name (a preposition or a verb of the sentence).
_SENDER = re.compile(
    r"(?<![\w-])(Министерств(?:о|а|у|ом|е)|Агентств(?:о|а|у|ом|е))"
    r"((?:\s+(?:[а-яё]+(?:-[а-яё]+)?|Республики\s+Казахстан|РК))+)",
)
_NAME_STOP = frozenset(
    "на в во от за что о об к ко с со при для из касательно согласно вопросу вопросам ваш ваше вашего "
    "рассмотрев рассмотрен рассмотрено рассмотрела рассмотрело сообщает сообщаем сообщило информирует "
    "информируем направляет направляем направлено доводит поясняет отвечает изучается осуществляет "
    "запрос запросу письмо письмом ответ".split()
)


# The sentence's verb, which ends the name: a past form or a short participle
# ("изучил", "рассмотрело", "изучен", "рассмотрено"), a present form
# ("сообщает", "поясняет"). The words of a ministry's name are adjectives and
# nouns in the genitive or dative; "дел" is the one that ends like a verb.
_VERB_END = re.compile(r"(?:[аеиоя]л|ло|[еа]н[оаы]?|[ауяеи]ет|ит|ют|ят|[ея]тся|ится|ются|ятся)$")
_NOT_VERBS = frozenset({"дел", "сил", "казахстан"})


def _ends_name(word: str) -> bool:
    w = word.lower()
    return w in _NAME_STOP or (w not in _NOT_VERBS and bool(_VERB_END.search(w)))


def _sender(text: str) -> str | None:
    """The first ministry (or agency) named in `text`, its head noun in the nominative."""
    for m in _SENDER.finditer(text):
        words: list[str] = []
        for w in m.group(2).split():
            if _ends_name(w):
                break
            words.append(w)
        while words and words[-1] in ("и", "по"):
            words.pop()
        # "Министерство" alone is a common noun, not a sender.
        if words:
            head = "Министерство" if m.group(1).startswith("Министерств") else "Агентство"
            return " ".join([head, *words])
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _first_date(text: str, lang: Lang) -> date | None:
    """The first full date in `text`, read as the figures stage reads dates."""
    for tok in read_numbers(text, lang):
        if tok.kind == "date" and tok.value % 100:
            v = int(tok.value)
            return _safe_date(v // 10000, v // 100 % 100, v % 100)
    return None


def read_meta(registration: re.Match[str] | None, paragraphs: list[Paragraph]) -> LetterMeta:
    outgoing_no = letter_date = None
    if registration:
        outgoing_no = registration.group("no").strip()
        day, month, year = (int(x) for x in registration.group("date").split("."))
        letter_date = _safe_date(year, month, day)
    cover = {lang: [p for p in paragraphs if p.lang == lang and p.part == "cover"] for lang in ("kk", "ru")}
    inquiry_no = inquiry_date = None
    # The Russian cover states the inquiry as "На депутатский запрос от <date> №ДЗ-256".
    for lang in ("ru", "kk"):
        for i, p in enumerate(cover[lang]):
            if not (m := _INQUIRY_NO.search(p.text)):
                continue
            inquiry_no = m.group(1)
            window = " ".join(q.text for q in cover[lang][max(0, i - 2) : i + 1])
            inquiry_date = _first_date(window, lang)  # type: ignore[arg-type]
            break
        if inquiry_no:
            break
    signatory = None
    for lang in ("ru", "kk"):
        for p in cover[lang]:
            if m := _SIGNATORY.search(p.text):
                signatory = re.sub(r"\.\s*", ". ", m.group(1)).replace(". ", ".", 0).strip()
                break
        if signatory:
            break
    sender = None
    for p in paragraphs:
        if p.lang == "ru" and (sender := _sender(p.text)):
            break
    addressees = None
    for p in cover["ru"]:
        if p.text.startswith(("Депутат", "Председател", "Руководител", "Министр", "Аким")):
            addressees = p.text
            break
    return LetterMeta(outgoing_no, letter_date, inquiry_no, inquiry_date, sender, addressees, signatory)
