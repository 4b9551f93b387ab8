"""Number words in Kazakh and Russian: round trips against num2words, the
case forms num2words cannot make, real sentences of a ministry letter, and
the look-alike words that must never be read as numbers."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from etl.figures.numwords import find_number_words, words_to_number

RNG_SEED = 20171113


def spans(text: str, lang: str) -> list[tuple[str, int]]:
    return [(text[s:e], v) for s, e, v in find_number_words(text, lang)]  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Round trips against num2words
# --------------------------------------------------------------------------


def test_kazakh_round_trip_every_value_to_1100() -> None:
    for n in range(1100):
        assert words_to_number(num2words(n, lang="kz"), "kk") == n, n


def test_kazakh_round_trip_random_values() -> None:
    rng = random.Random(RNG_SEED)
    for n in [rng.randint(0, 999_999) for _ in range(3000)] + [10**6, 2_000_017, 10**9]:
        assert words_to_number(num2words(n, lang="kz"), "kk") == n, n


def test_russian_round_trip_every_value_to_1100() -> None:
    for n in range(1100):
        assert words_to_number(num2words(n, lang="ru"), "ru") == n, n


RU_CASES = ["nominative", "genitive", "dative", "accusative", "instrumental", "prepositional"]


@pytest.mark.parametrize("case", RU_CASES)
@pytest.mark.parametrize("gender", ["m", "f", "n"])
def test_russian_round_trip_cases_and_genders(case: str, gender: str) -> None:
    rng = random.Random(f"{RNG_SEED}{case}{gender}")
    for _ in range(150):
        n = rng.randint(0, 999_999)
        for animate in (True, False):
            words = num2words(n, lang="ru", case=case, gender=gender, animate=animate)
            assert words_to_number(words, "ru") == n, words


@pytest.mark.parametrize("case", RU_CASES)
def test_russian_round_trip_plural_forms(case: str) -> None:
    # num2words puts the plural ("двое", "одни") on the thousands multiplier
    # too ("трое тысячи"), which is not Russian; plural is checked below 1000.
    rng = random.Random(f"{RNG_SEED}{case}plural")
    for _ in range(150):
        n = rng.randint(0, 999)
        words = num2words(n, lang="ru", case=case, plural=True, animate=rng.random() < 0.5)
        assert words_to_number(words, "ru") == n, words


def test_russian_numbers_are_found_in_running_text() -> None:
    rng = random.Random(RNG_SEED + 1)
    for _ in range(500):
        n = rng.randint(2, 999_999)
        case = rng.choice(["nominative", "genitive", "dative", "instrumental"])
        words = num2words(n, lang="ru", case=case)
        text = f"Зарегистрировано {words} случаев."
        assert spans(text, "ru") == [(words, n)], text


def test_yo_and_e_spellings_agree() -> None:
    assert words_to_number("трёхсот четырёх", "ru") == 304
    assert words_to_number("трехсот четырех", "ru") == 304
    assert spans("ТРЁМ тысячам", "ru") == [("ТРЁМ тысячам", 3000)]


# --------------------------------------------------------------------------
# Kazakh case forms (written out by hand, independent of the reader's rules)
# --------------------------------------------------------------------------

# base -> genitive, accusative, dative, locative, ablative, instrumental
KK_CASES: dict[str, tuple[str, ...]] = {
    "бір": ("бірдің", "бірді", "бірге", "бірде", "бірден", "бірмен"),
    "екі": ("екінің", "екіні", "екіге", "екіде", "екіден", "екімен"),
    "үш": ("үштің", "үшті", "үшке", "үште", "үштен", "үшпен"),
    "төрт": ("төрттің", "төртті", "төртке", "төртте", "төрттен", "төртпен"),
    "бес": ("бестің", "бесті", "беске", "бесте", "бестен", "беспен"),
    "алты": ("алтының", "алтыны", "алтыға", "алтыда", "алтыдан", "алтымен"),
    "жеті": ("жетінің", "жетіні", "жетіге", "жетіде", "жетіден", "жетімен"),
    "сегіз": ("сегіздің", "сегізді", "сегізге", "сегізде", "сегізден", "сегізбен"),
    "тоғыз": ("тоғыздың", "тоғызды", "тоғызға", "тоғызда", "тоғыздан", "тоғызбен"),
    "он": ("онның", "онды", "онға", "онда", "оннан", "онмен"),
    "жиырма": ("жиырманың", "жиырманы", "жиырмаға", "жиырмада", "жиырмадан", "жиырмамен"),
    "отыз": ("отыздың", "отызды", "отызға", "отызда", "отыздан", "отызбен"),
    "қырық": ("қырықтың", "қырықты", "қырыққа", "қырықта", "қырықтан", "қырықпен"),
    "елу": ("елудің", "елуді", "елуге", "елуде", "елуден", "елумен"),
    "алпыс": ("алпыстың", "алпысты", "алпысқа", "алпыста", "алпыстан", "алпыспен"),
    "жетпіс": ("жетпістің", "жетпісті", "жетпіске", "жетпісте", "жетпістен", "жетпіспен"),
    "сексен": ("сексеннің", "сексенді", "сексенге", "сексенде", "сексеннен", "сексенмен"),
    "тоқсан": ("тоқсанның", "тоқсанды", "тоқсанға", "тоқсанда", "тоқсаннан", "тоқсанмен"),
    "жүз": ("жүздің", "жүзді", "жүзге", "жүзде", "жүзден", "жүзбен"),
    "мың": ("мыңның", "мыңды", "мыңға", "мыңда", "мыңнан", "мыңмен"),
}
# Alone these are mostly other words (together, at once, sometimes, there,
# its gold); inside a compound they are numbers.
KK_ALONE_NOT_NUMBERS = {"бірге", "бірден", "бірде", "онда", "алтыны"}


def test_kazakh_case_forms_read_back() -> None:
    rng = random.Random(RNG_SEED + 2)
    values = list(range(1, 120)) + [rng.randint(1, 999_999) for _ in range(1500)]
    for n in values:
        *head, last = num2words(n, lang="kz").split()
        for form in KK_CASES[last]:
            phrase = " ".join([*head, form])
            assert words_to_number(phrase, "kk") == n, phrase
            text = f"Барлығы {phrase} қатысты."
            expected = [] if phrase in KK_ALONE_NOT_NUMBERS else [(phrase, n)]
            assert spans(text, "kk") == expected, text


def test_kazakh_case_ending_closes_the_number() -> None:
    # the case ending sits on the last word, so what follows is a new number
    assert spans("екі жүзге бес", "kk") == [("екі жүзге", 200), ("бес", 5)]
    assert spans("бір мың алты жүз тоқсан төрт", "kk") == [("бір мың алты жүз тоқсан төрт", 1694)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("екеу", 2),
        ("екеуі", 2),
        ("екеуін", 2),
        ("екеуіне", 2),
        ("үшеу", 3),
        ("үшеуінің", 3),
        ("төртеу", 4),
        ("бесеуі", 5),
        ("алтау", 6),
        ("алтауы", 6),
        ("жетеу", 7),
        ("жетеуінен", 7),
    ],
)
def test_kazakh_collectives(text: str, value: int) -> None:
    assert spans(f"Олардың {text} ұсталды", "kk") == [(text, value)]


# --------------------------------------------------------------------------
# Russian forms num2words does not make
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("дважды", 2),
        ("трижды", 3),
        ("четырежды", 4),
        ("двое", 2),
        ("троих", 3),
        ("четверым", 4),
        ("пятеро", 5),
        ("семерых", 7),
        ("нуля", 0),
        ("одною", 1),
    ],
)
def test_russian_adverbs_and_collectives(text: str, value: int) -> None:
    assert spans(f"проводится {text} в год", "ru") == [(text, value)]


def test_russian_compound_grammar_splits_runs() -> None:
    assert spans("пять шесть", "ru") == [("пять", 5), ("шесть", 6)]
    assert spans("двадцать десять", "ru") == [("двадцать", 20), ("десять", 10)]
    assert spans("десять один", "ru") == [("десять", 10), ("один", 1)]
    assert spans("сто двадцать три тысячи четыреста пятьдесят шесть", "ru") == [
        ("сто двадцать три тысячи четыреста пятьдесят шесть", 123_456)
    ]
    assert spans("миллион тысяча", "ru") == [("миллион", 10**6), ("тысяча", 1000)]
    assert spans("семью тысячами", "ru") == [("семью тысячами", 7000)]


# --------------------------------------------------------------------------
# Sentences of the letter (kk cover/appendix and its ru translation)
# --------------------------------------------------------------------------

LETTER_PAIRS = [
    (
        "Қазіргі уақытта оларға Қазақстанның жеті өңіріндегі тұрғындарына",
        "жеті",
        "в отношении жителей семи регионов Казахстана. Проводится дальнейшая",
        "семи",
        7,
    ),
    (
        "қолдан жасалған құрылғылар) орналастырып ұрлық жасаған екі топ",
        "екі",
        "В 2013 году в г. Алматы задержаны две группы (граждане Болгарии",
        "две",
        2,
    ),
    (
        "Қостанай қаласының екі тұрғыны ұсталды.",
        "екі",
        "задержаны два жителя г.Костанай, которые совершали интернет-",
        "два",
        2,
    ),
    (
        "базасында үш кезеңнен тұратын курстар жүргізілді.",
        "үш",
        "В 2015-2016 годы по договоренности с Посольством США в три этапа",
        "три",
        3,
    ),
    (
        "аумағында жылына екі мәрте кең ауқымды киберқылмысқа, авторлық және",
        "екі",
        "Так, во исполнение п.2.1.13 Программы дважды в год на территории",
        "дважды",
        2,
    ),
    (
        "үшін көбінесе «әмиянды» құру үшін тек бір рет қана пайдаланылатын    SIM-",
        "бір",
        "только один раз для создания «кошелька» (разовые номера). При этом",
        "один",
        1,
    ),
]


@pytest.mark.parametrize(("kk", "kk_word", "ru", "ru_word", "value"), LETTER_PAIRS)
def test_letter_sentences(kk: str, kk_word: str, ru: str, ru_word: str, value: int) -> None:
    assert spans(kk, "kk") == [(kk_word, value)]
    assert spans(ru, "ru") == [(ru_word, value)]


LETTER_NOT_NUMBERS_KK = [
    "зерттеудің (сараптамаға) сапасына осы салада сот сарапшыларының\n\n"
    "жетіспеушілігі, әртүрлі тасмалдаушылардан ақпаратты оқуға арналған",
    "Көрсетілген қылмыстарды жасағаны үшін",
    "қимыл мәселелері бойынша  халықаралық өңірлік семинарларға қатысады",
    "жедел алмасу бойынша екінші деңгейдегі банктермен (қауіпсіздік қызметтері)",
    "бірқатарында ақпараттық технологияларды пайдалануды қарастыратын",
    "орындалуын адамдар емес, машиналар қадағалайды, ол адалдықты және біреуге",
    "шабуылдардың көмегімен жасалған, онда «кошелектардың» иелері логиндер",
    "Жалпы, әр бір аумақтық ІІД-нің (Астана, Алматы қалалары және облыстар",
    "картаның (бір реттік нөмір) болуы жеткілікті.",
    "Тұжырымдама «Қазақстанның Үшінші жаңғыруы: жаһандық",
    "Ішкі істер министрлігі өз құзыреті шегінде киберқылмысқа қарсы іс-\n\n"
    "қимыл жасасу бойынша тапсырмаларды жүзеге асырады.",
]
LETTER_NOT_NUMBERS_RU = [
    "международных региональных семинарах по вопросам противодействия",
    "  Осуществляется тесное взаимодействие с банками второго уровня",
    "иных носителей информации отражается нехватка судебных экспертов в этой",
    "«Третья модернизация Казахстана: Глобальная конкурентоспособность»",
]


@pytest.mark.parametrize("text", LETTER_NOT_NUMBERS_KK)
def test_letter_kazakh_look_alikes_are_not_numbers(text: str) -> None:
    assert spans(text, "kk") == []


@pytest.mark.parametrize("text", LETTER_NOT_NUMBERS_RU)
def test_letter_russian_look_alikes_are_not_numbers(text: str) -> None:
    assert spans(text, "ru") == []


# --------------------------------------------------------------------------
# Traps
# --------------------------------------------------------------------------

KK_TRAPS = [
    "үшін",
    "Үшін",
    "жетіспеушілігі",
    "жетік",
    "жетілдіру",
    "Жетісу",
    "бірқатар",
    "біреу",
    "біреуге",
    "бірге",
    "бірден",
    "бірдей",
    "бірнеше",
    "бірақ",
    "бір-бірімен",
    "бір-біріне",
    "бірі",
    "онда",
    "ондай",
    "ондағы",
    "оның",
    "оны",
    "алтын",
    "алтыны",
    "жүзеге асыру",
    "жер жүзінде",
    "мыңдаған",
    "елі",
    "ел",
    "бесік",
    "бірінші",
    "екінші",
    "үшінші",
    "төртінші",
    "алтыншы",
    "жетінші",
    "оныншы",
    "жиырмасыншы",
    "қырқыншы",
    "екі-үш",
    "жиырма бірінші ғасыр",
    "екі мың он жетінші жыл",
    "бір жағынан",
    "бір де бір",
    "екі жақты келісім",
    "үшінші тоқсанда",
    "III тоқсан",
    "тоқсан сайын",
]
RU_TRAPS = [
    "семинар",
    "семья",
    "свою семью",
    "сторона",
    "стоимость",
    "состоит",
    "трибунал",
    "пятно",
    "десятилетие",
    "тысячелетие",
    "сотрудник",
    "одновременно",
    "второй",
    "третьего",
    "седьмой",
    "сорокового",
    "двухсотый",
    "в две тысячи семнадцатом году",
    "двадцать первого века",
    "сто первый",
    "тысячи граждан",
    "десятки тысяч",
    "миллионы",
    "ни одного случая",
    "ни одна",
    "один и тот же",
    "одно и то же",
    "с одной стороны",
    "одни сутки",
    "пяти-шести",
    "киберпреступ-\nности сто-\nимость",
]


@pytest.mark.parametrize("text", KK_TRAPS)
def test_kazakh_traps(text: str) -> None:
    assert spans(text, "kk") == []


@pytest.mark.parametrize("text", RU_TRAPS)
def test_russian_traps(text: str) -> None:
    assert spans(text, "ru") == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("пять первых мест", "ru", [("пять", 5)]),  # not a compound ordinal
        ("более тысячи обращений", "ru", [("тысячи", 1000)]),
        ("свыше миллиона", "ru", [("миллиона", 10**6)]),
        ("тоқсан адам", "kk", [("тоқсан", 90)]),
        ("он бірге жуық", "kk", [("он бірге", 11)]),
        ("жиырма бірден", "kk", [("жиырма бірден", 21)]),
        ("мыңнан астам", "kk", [("мыңнан", 1000)]),
        ("жүздей адам", "kk", [("жүздей", 100)]),
        ("(семь)", "ru", [("семь", 7)]),
    ],
)
def test_near_traps_that_are_numbers(text: str, lang: str, expected: list) -> None:
    assert spans(text, lang) == expected


# --------------------------------------------------------------------------
# Spelling variants and offsets
# --------------------------------------------------------------------------


def test_case_insensitive_and_offsets_index_the_original_text() -> None:
    text = "Барлығы ЖЕТІ өңір, Бiр мың (латын i) және Екі Жүз"
    assert spans(text, "kk") == [("ЖЕТІ", 7), ("Бiр мың", 1000), ("Екі Жүз", 200)]
    start = text.index("Бiр")
    assert find_number_words(text, "kk")[1] == (start, start + len("Бiр мың"), 1000)
    ru = "Всего ТРЁХСОТ Двух тысяч"
    assert find_number_words(ru, "ru") == [(6, len(ru), 302_000)]


# --------------------------------------------------------------------------
# Arbitrary input
# --------------------------------------------------------------------------

FILLER = [
    "және", "бойынша", "жыл", "и", "в", "года", "үшін", "семья", "бірінші", "второго", "–", ",",
    "\n", "әр", "ни", "более",
]  # fmt: skip
NUMBER_WORDS = [
    "бір", "екі", "үш", "он", "жүз", "мың", "жиырма", "бесеуі", "бірге", "онда", "тоқсан",
    "один", "две", "тысяч", "тысячи", "сто", "двадцать", "семью", "дважды", "пятьсот", "ноль",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(FILLER + NUMBER_WORDS), max_size=40),
    st.sampled_from(["kk", "ru"]),
)
def test_spans_are_ordered_disjoint_and_read_back(words: list[str], lang: str) -> None:
    text = " ".join(words)
    found = find_number_words(text, lang)  # type: ignore[arg-type]
    last_end = 0
    for start, end, value in found:
        assert last_end <= start < end <= len(text)
        assert words_to_number(text[start:end], lang) == value  # type: ignore[arg-type]
        last_end = end


def test_long_adversarial_input_is_read_in_one_pass() -> None:
    rng = random.Random(RNG_SEED + 3)
    letters = "абвгдежзийклмнопрстуфхцчшщыьэюяәғқңөұүһі-"
    noise = " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(1, 12))) for _ in range(10_000)
    )
    assert isinstance(find_number_words(noise, "kk"), list)
    run = " ".join(rng.choice(["сто", "двадцать", "три", "тысячи", "один"]) for _ in range(10_000))
    found = find_number_words(run, "ru")
    assert found and all(words_to_number(run[s:e], "ru") == v for s, e, v in found)


@pytest.mark.parametrize(
    ("phrase", "lang"),
    [
        ("", "ru"),
        ("   ", "kk"),
        ("два три", "ru"),
        ("үшін", "kk"),
        ("двадцать-пять", "ru"),
        ("тысяча тысяч", "ru"),
        ("сто двести", "ru"),
        ("екі жүзге бес", "kk"),
        ("жиырма жүз", "kk"),
        ("семинар", "ru"),
    ],
)
def test_words_to_number_rejects_non_numbers(phrase: str, lang: str) -> None:
    assert words_to_number(phrase, lang) is None  # type: ignore[arg-type]
