"""Benchmark: how right kkru-etl reads and pairs figures on real Kazakh/Russian text.

The development set is `bench/accuracy/labels.jsonl`: one line per kk/ru line
pair of the shared corpus (`../shared/corpus/FILE:LINE`, never the text
itself), with the figures each side states (value, scale, kind; unit
"percent" or "time" where it applies) and the pair's status:

  agree       a faithful translation: the same figures on both sides
  disagree    a real disagreement (a wrong year, another deadline, a changed time)
  partial     aligned, but one side says more or less (a line cut at 255 bytes,
              a clause dropped, units converted by the translator): findings
              are allowed there and not required
  misaligned  the two lines are not translations of each other (drifted
              alignment): left out of the letters

The agree, disagree and partial pairs are rendered, twelve at a time, into
letters with the project's fixture generator (each pair one kk and one ru
appendix paragraph), in every producer and layout (fpdf2 and reportlab, one
and two columns), and run through the real pipeline (`process_bytes`:
extract, read, align, validate). Printed per language:

  recall        labelled figures read with the labelled amount (value * scale),
                over every rendering and for each one
  kind right    of those, read with the labelled kind
  unlabelled    figures read that no label accounts for
  false alarms  agreeing pairs with a finding, per 100 agreeing pairs (each
                one listed with both sentences)
  disagreements real disagreements with a finding on them
  edits         random single-number edits (count, decimal, percentage, money
                with scale, date, number word), one per letter run: caught
                right when the letter gets exactly one new finding, `changed`,
                with the edited value on the edited side and the old value on
                the other, and no finding of the unedited letter is lost

Usage (from the repository root, with the `fixtures` extra installed):

    python bench/accuracy.py                    # all four renderings, 300 edits
    python bench/accuracy.py --edits 0 --variants one_column/fpdf2
    python bench/accuracy.py --json results.json
    python bench/accuracy.py --variants text/text   # reader and aligner only, no PDF (seconds)

The corpus is looked for at ../shared/corpus next to the repository (or
--corpus DIR). Characters no fixture font draws (Arabic, CJK) are blanked
before rendering.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from etl.align import align, settle_pairs
from etl.errors import RejectedFile
from etl.figures import build_figures
from etl.fixtures import APPENDIX_TITLES, from_paragraphs, render_pdf
from etl.models import Figure, FigurePair, Paragraph
from etl.pipeline import process_bytes

LABELS = HERE / "accuracy" / "labels.jsonl"
VARIANTS = [("one_column", "fpdf2"), ("one_column", "reportlab"), ("two_column", "fpdf2"), ("two_column", "reportlab")]
PAIRS_PER_LETTER = 12
LETTER_DATE = date(2017, 11, 13)  # the fixture letters' date
LANGS = ("kk", "ru")


# --------------------------------------------------------------------------- labels and text


@dataclass
class Item:
    idx: int
    ref: dict[str, str]
    status: str
    labels: dict[str, list[dict[str, Any]]]
    text: dict[str, str]
    note: str = ""


def _corpus_dir(arg: str | None) -> Path:
    for cand in ([Path(arg)] if arg else []) + [ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus"]:
        if cand.is_dir():
            return cand
    raise SystemExit("corpus not found: pass --corpus DIR (the shared corpus folder)")


_DRAWABLE = re.compile(r"[^\u0000-\u05ff\u1e00-\u2bff\ufb00-\ufb06]")


def _line(corpus: Path, ref: str, cache: dict[Path, list[str]]) -> str:
    path, no = ref.rsplit(":", 1)
    rel = path.split("corpus/", 1)[1]
    f = corpus / rel
    if f not in cache:
        cache[f] = f.read_text(encoding="utf-8").split("\n")
    text = cache[f][int(no) - 1].strip()
    # Letters carry no Arabic or CJK, and the fixture fonts draw none.
    return re.sub(r"\s+", " ", _DRAWABLE.sub(" ", text)).strip()


def load_items(corpus: Path) -> list[Item]:
    cache: dict[Path, list[str]] = {}
    items = []
    for n, line in enumerate(LABELS.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        items.append(
            Item(
                idx=n,
                ref={"kk": rec["kk"], "ru": rec["ru"]},
                status=rec["status"],
                labels={"kk": rec["kk_figures"], "ru": rec["ru_figures"]},
                text={"kk": _line(corpus, rec["kk"], cache), "ru": _line(corpus, rec["ru"], cache)},
                note=rec.get("note", ""),
            )
        )
    return items


# --------------------------------------------------------------------------- running letters


@dataclass
class Run:
    """One letter through the pipeline: each figure and finding placed in its line pair."""

    figures: dict[tuple[int, str], list[Figure]] = field(default_factory=dict)  # (item idx, lang)
    findings: list[tuple[FigurePair, int | None, int | None]] = field(default_factory=list)  # pair, kk item, ru item
    unplaced: int = 0
    wrong_language: int = 0  # appendix paragraphs of one language tagged with the other
    rejected: str | None = None


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def run_text(group: list[Item], texts: dict[int, dict[str, str]]) -> Run:
    """The reader and the aligner alone, on the paragraph texts (no PDF): for quick rounds."""
    paras = [
        Paragraph(lang, "appendix", k + 1, 1, texts[it.idx][lang])  # type: ignore[arg-type]
        for lang in LANGS
        for k, it in enumerate(group)
    ]
    figures = build_figures("accuracy-text-run", paras, LETTER_DATE)
    run = Run()
    owner = {f.figure_id: group[f.para_no - 1].idx for f in figures}
    for f in figures:
        run.figures.setdefault((owner[f.figure_id], f.lang), []).append(f)
    # As the pipeline does: periods compared after pairing (etl.chain).
    _, pairs = settle_pairs(figures, align(figures, paras))
    for pair in pairs:
        if pair.status != "match":
            run.findings.append(
                (pair, owner[pair.kk.figure_id] if pair.kk else None, owner[pair.ru.figure_id] if pair.ru else None)
            )
    return run


def run_letter(group: list[Item], texts: dict[int, dict[str, str]], variant: tuple[str, str], tmp: Path) -> Run:
    if variant == ("text", "text"):
        return run_text(group, texts)
    doc = from_paragraphs(
        kk_appendix=[texts[it.idx]["kk"] for it in group],
        ru_appendix=[texts[it.idx]["ru"] for it in group],
    )
    layout, backend = variant
    pdf = render_pdf(doc, tmp / f"letter-{layout}-{backend}.pdf", layout=layout, backend=backend)  # type: ignore[arg-type]
    run = Run()
    try:
        result = process_bytes(str(pdf), pdf.read_bytes())
    except RejectedFile as exc:
        run.rejected = str(exc)
        return run
    # Figure -> line pair: the appendix texts of one language, whitespace removed,
    # laid end to end; each extracted paragraph is found in them in order.
    owner: dict[str, int | None] = {}
    joined_of = {lang: "".join(_norm(texts[it.idx][lang]) for it in group) for lang in LANGS}
    for p in result.letter.paragraphs:
        other = "ru" if p.lang == "kk" else "kk"
        key = _norm(p.text)
        if p.part == "appendix" and len(key) > 12 and key not in joined_of[p.lang] and key in joined_of[other]:
            run.wrong_language += 1
    for lang in LANGS:
        blocks = [_norm(texts[it.idx][lang]) for it in group]
        starts, pos = [], 0
        for b in blocks:
            starts.append(pos)
            pos += len(b)
        joined = "".join(blocks)
        cursor = 0
        para_base: dict[int, int | None] = {}
        for p in result.letter.paragraphs:
            if p.lang != lang or p.part != "appendix" or p.text.strip() == APPENDIX_TITLES[lang]:
                continue
            key = _norm(p.text)
            at = joined.find(key, cursor) if key else -1
            para_base[p.para_no] = at if at >= 0 else None
            if at >= 0:
                cursor = at + len(key)
        texts_by_para = {p.para_no: p.text for p in result.letter.paragraphs if p.lang == lang and p.part == "appendix"}
        for f in result.figures:
            if f.lang != lang:
                continue
            if f.part != "appendix":
                owner[f.figure_id] = None
                continue
            base = para_base.get(f.para_no)
            if base is None:
                owner[f.figure_id] = None
                run.unplaced += 1
                continue
            off = base + len(_norm(texts_by_para[f.para_no][: f.start]))
            k = max(i for i, s in enumerate(starts) if s <= off)
            owner[f.figure_id] = group[k].idx
            run.figures.setdefault((group[k].idx, lang), []).append(f)
    for pair in result.pairs:
        if pair.status == "match":
            continue
        kk = owner.get(pair.kk.figure_id) if pair.kk else None
        ru = owner.get(pair.ru.figure_id) if pair.ru else None
        run.findings.append((pair, kk, ru))
    return run


# --------------------------------------------------------------------------- scoring


def _amount(d: dict[str, Any] | Figure) -> float:
    if isinstance(d, Figure):
        return d.value * d.scale
    return float(d["value"]) * float(d["scale"])


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def match_side(labels: list[dict[str, Any]], figs: list[Figure]) -> tuple[list[tuple[dict[str, Any], Figure | None]], list[Figure]]:
    """Labels paired with read figures by amount (a multiset match, in text order)."""
    left = list(figs)
    out: list[tuple[dict[str, Any], Figure | None]] = []
    for lab in labels:
        hit = next((f for f in left if _same(_amount(f), _amount(lab))), None)
        if hit is not None:
            left.remove(hit)
        out.append((lab, hit))
    return out, left


def _kind_ok(lab: dict[str, Any], f: Figure) -> bool:
    if lab.get("unit") == "time":
        return f.unit == "time"
    if lab["kind"] in ("year", "year_range") and f.kind in ("year", "year_range"):
        return True
    return lab["kind"] == f.kind


def _finding_key(pair: FigurePair, kk: int | None, ru: int | None) -> tuple[Any, ...]:
    return (
        pair.status,
        kk,
        pair.kk.surface if pair.kk else None,
        pair.kk.value if pair.kk else None,
        ru,
        pair.ru.surface if pair.ru else None,
        pair.ru.value if pair.ru else None,
    )


def _describe(pair: FigurePair) -> str:
    kk = f"kk {pair.kk.surface!r}" if pair.kk else "kk -"
    ru = f"ru {pair.ru.surface!r}" if pair.ru else "ru -"
    return f"{pair.status}: {kk} / {ru}"


# --------------------------------------------------------------------------- edits

_KK_WORDS = {"екі": "үш", "үш": "төрт", "төрт": "бес", "бес": "алты", "алты": "жеті", "жеті": "сегіз", "сегіз": "тоғыз", "он": "он бір"}
_RU_WORDS = {
    "два": "три", "две": "три", "двух": "трех", "двум": "трем", "три": "четыре", "трех": "четырех", "трёх": "четырёх",
    "четыре": "пять", "четырех": "пяти", "пять": "шесть", "пяти": "шести", "шесть": "семь", "шести": "семи",
    "семь": "восемь", "семи": "восьми", "восемь": "девять", "десять": "одиннадцать",
}
_SCALE = r"(?:\s?(?:млн|млрд|трлн|тыс|мың|миллион|миллиард|million))"
_PCT = r"(?:\s?(?:%|пайыз|процент))"
_MONTHS = (
    r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан)"
)
EDIT_CLASSES = ("count", "decimal", "percentage", "money", "date", "number word")


@dataclass
class Edit:
    item: int
    lang: str
    cls: str
    old: str
    new: str
    span: tuple[int, int]


def _once(pattern: str, text: str) -> re.Match[str] | None:
    ms = list(re.finditer(pattern, text))
    return ms[0] if len(ms) == 1 else None


def _bump_last_digit(s: str, rng: random.Random) -> str:
    i = max(i for i, c in enumerate(s) if c.isdigit())
    d = (int(s[i]) + rng.randint(1, 8)) % 10
    if i == 0 and d == 0:
        d = 1
    return s[:i] + str(d) + s[i + 1 :]


def edit_candidates(it: Item, lang: str, cls: str, rng: random.Random) -> Edit | None:
    text = it.text[lang]
    labs = it.labels[lang]
    num = r"(?<![\d.,/\-–])({})(?![\d]|[.,]\d|[\-–/]\d)"
    for lab in rng.sample(labs, len(labs)):
        v, kind, unit = float(lab["value"]), lab["kind"], lab.get("unit")
        m = None
        if cls == "count" and kind in ("statistic", "count") and unit is None and v.is_integer() and 2 <= v < 10000 and lab["scale"] == 1:
            m = _once(num.format(int(v)), text)
        elif cls == "decimal" and kind in ("statistic", "money") and unit != "time" and not v.is_integer():
            whole, frac = f"{v:.6f}".rstrip("0").split(".")
            m = _once(num.format(rf"{whole}[,.]{frac}"), text)
        elif cls == "percentage" and unit == "percent":
            s = f"{v:g}".replace(".", "[,.]")
            m = _once(num.format(s) + rf"(?={_PCT})", text)
        elif cls == "money" and kind == "money" and lab["scale"] > 1:
            s = f"{v:g}".replace(".", "[,.]")
            m = _once(num.format(s) + rf"(?={_SCALE})", text)
        elif cls == "date" and kind == "date" and int(v) % 100 not in (0,):
            day = int(v) % 100
            if day > 27:
                continue
            m = _once(rf"(?<![\d.])(0?{day})(?=\.\d\d\.\d{{4}}|\s+{_MONTHS}|[-\s]*{_MONTHS})", text)
        elif cls == "number word" and kind == "count":
            words = _KK_WORDS if lang == "kk" else _RU_WORDS
            for w, repl in words.items():
                mm = _once(rf"(?<![\w-])({w})(?![\w-])", text.lower())
                if mm:
                    return Edit(it.idx, lang, cls, text[mm.start(1) : mm.end(1)], repl, mm.span(1))
            continue
        if m:
            old = m.group(1)
            new = _bump_last_digit(old, rng) if cls in ("decimal", "percentage") else None
            if cls in ("count", "money"):
                new = str(int(old) + rng.randint(1, 9)) if old.isdigit() else _bump_last_digit(old, rng)
            if cls == "date":
                new = str(int(old) + 1).zfill(len(old))
            assert new is not None
            if new != old:
                return Edit(it.idx, lang, cls, old, new, m.span(1))
    return None


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", help="the shared corpus folder (default ../shared/corpus)")
    ap.add_argument("--variants", nargs="*", default=[f"{a}/{b}" for a, b in VARIANTS], help="layout/backend, e.g. one_column/fpdf2")
    ap.add_argument("--edits", type=int, default=300, help="random single-number edits (default 300)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", help="write the figures to this file too")
    ap.add_argument("--quiet", action="store_true", help="no per-pair listing")
    args = ap.parse_args(argv)
    variants = [tuple(v.split("/")) for v in args.variants]
    corpus = _corpus_dir(args.corpus)
    items = load_items(corpus)
    used = [it for it in items if it.status != "misaligned"]
    by_idx = {it.idx: it for it in items}
    texts = {it.idx: dict(it.text) for it in used}
    groups = [used[i : i + PAIRS_PER_LETTER] for i in range(0, len(used), PAIRS_PER_LETTER)]
    t0 = time.time()
    tmp = Path(tempfile.mkdtemp(prefix="kkru-accuracy-"))
    base: dict[tuple[int, tuple[str, str]], Run] = {}
    for gi, g in enumerate(groups):
        for v in variants:
            base[(gi, v)] = run_letter(g, texts, v, tmp)  # type: ignore[arg-type]

    out: dict[str, Any] = {"pairs": Counter(it.status for it in items), "letters": len(groups), "variants": len(variants)}
    # Recall and unlabelled figures, per language, over every rendering.
    misses: dict[str, Counter[tuple[int, str]]] = {lang: Counter() for lang in LANGS}
    extras: dict[str, Counter[tuple[int, str]]] = {lang: Counter() for lang in LANGS}
    per_lang: dict[str, dict[str, float]] = {}
    # Recall of each rendering on its own: (lang, variant) -> [labelled, read].
    by_variant: dict[tuple[str, tuple[str, str]], list[int]] = defaultdict(lambda: [0, 0])
    for lang in LANGS:
        n_lab = n_hit = n_kind = n_extra = 0
        for (gi, v), run in base.items():
            for it in groups[gi]:
                pairs, left = match_side(it.labels[lang], run.figures.get((it.idx, lang), []))
                n_lab += len(pairs)
                by_variant[(lang, v)][0] += len(pairs)
                by_variant[(lang, v)][1] += sum(f is not None for _, f in pairs)
                for lab, f in pairs:
                    if f is None:
                        misses[lang][(it.idx, f"{lab['value']:g}e{lab['scale']:g} {lab['kind']}{' ' + lab['unit'] if lab.get('unit') else ''}")] += 1
                    else:
                        n_hit += 1
                        n_kind += _kind_ok(lab, f)
                n_extra += len(left)
                for f in left:
                    extras[lang][(it.idx, f.surface)] += 1
        per_lang[lang] = {
            "labelled": n_lab / len(variants),
            "recall": 100.0 * n_hit / max(1, n_lab),
            "kind_right": 100.0 * n_kind / max(1, n_hit),
            "unlabelled_per_letter_run": n_extra / max(1, len(base)),
            "unlabelled": n_extra / len(variants),
        }
    out["recall_by_variant"] = {
        f"{v[0]}/{v[1]}": {lang: 100.0 * by_variant[(lang, v)][1] / max(1, by_variant[(lang, v)][0]) for lang in LANGS}
        for v in variants
    }
    # False alarms and real disagreements.
    alarm_pairs: dict[int, list[str]] = defaultdict(list)
    caught: dict[int, int] = Counter()
    for (gi, v), run in base.items():
        flagged: dict[int, list[str]] = defaultdict(list)
        for pair, kk, ru in run.findings:
            for owner in {kk, ru} - {None}:
                assert owner is not None
                flagged[owner].append(_describe(pair))
        for idx, descr in flagged.items():
            if by_idx[idx].status == "agree":
                alarm_pairs[idx].append(f"{v[0]}/{v[1]}: " + "; ".join(descr))
            elif by_idx[idx].status == "disagree":
                caught[idx] += 1
    n_agree = sum(1 for it in used if it.status == "agree")
    n_alarm_runs = sum(len(v) for v in alarm_pairs.values())
    disagree = [it for it in used if it.status == "disagree"]
    out["false_alarms_per_100"] = 100.0 * n_alarm_runs / max(1, n_agree * len(variants))
    out["false_alarm_pairs"] = len(alarm_pairs)
    out["disagreements"] = {"total": len(disagree), "caught_in_every_rendering": sum(1 for it in disagree if caught[it.idx] == len(variants))}
    out["unplaced_figures"] = sum(r.unplaced for r in base.values())
    out["wrong_language_paragraphs"] = sum(r.wrong_language for r in base.values())
    out["rejected_letters"] = [r.rejected for r in base.values() if r.rejected]

    # Single-number edits.
    rng = random.Random(args.seed)
    edit_res: dict[str, Counter[str]] = {c: Counter() for c in EDIT_CLASSES}
    edit_fail: list[str] = []
    agree_by_group = [(gi, it) for gi, g in enumerate(groups) for it in g if it.status == "agree"]
    done = 0
    tries = 0
    while done < args.edits and tries < args.edits * 40:
        tries += 1
        cls = EDIT_CLASSES[done % len(EDIT_CLASSES)]
        gi, it = rng.choice(agree_by_group)
        lang = LANGS[rng.randrange(2)]
        ed = edit_candidates(it, lang, cls, rng)
        if ed is None:
            continue
        v = variants[done % len(variants)]
        done += 1
        t = dict(texts[it.idx])
        t[lang] = t[lang][: ed.span[0]] + ed.new + t[lang][ed.span[1] :]
        edited_texts = dict(texts)
        edited_texts[it.idx] = t
        run = run_letter(groups[gi], edited_texts, v, tmp)  # type: ignore[arg-type]
        before = Counter(_finding_key(*f) for f in base[(gi, v)].findings)
        after = Counter(_finding_key(*f) for f in run.findings)
        new = list((after - before).elements())
        lost = list((before - after).elements())
        side = 1 if lang == "kk" else 4
        ok = (
            len(new) == 1
            and not lost
            and new[0][0] == "changed"
            and new[0][side] == it.idx
            and new[0][side + 1] is not None
            and ed.new.split()[0] in (new[0][side + 1] or "").lower()
        )
        edit_res[cls]["runs"] += 1
        edit_res[cls]["reported"] += bool(new)
        edit_res[cls]["right"] += ok
        if not ok:
            edit_fail.append(
                f"{cls} {lang} {it.ref[lang].split('corpus/')[1]} {ed.old!r}->{ed.new!r} ({v[0]}/{v[1]}): "
                f"new {[(n[0], n[2], n[5]) for n in new]} lost {[(n[0], n[2], n[5]) for n in lost]}"
            )
    shutil.rmtree(tmp, ignore_errors=True)
    out["edits"] = {c: dict(r) for c, r in edit_res.items()}
    out["seconds"] = round(time.time() - t0, 1)

    # Report.
    print(f"kkru-etl accuracy on {len(items)} labelled line pairs ({dict(out['pairs'])}),")
    print(f"{len(groups)} letters x {len(variants)} renderings, {out['seconds']} s\n")
    print(f"{'':14}{'kk':>10}{'ru':>10}")
    print(f"{'labelled':14}{per_lang['kk']['labelled']:>10.0f}{per_lang['ru']['labelled']:>10.0f}")
    print(f"{'recall %':14}{per_lang['kk']['recall']:>10.2f}{per_lang['ru']['recall']:>10.2f}")
    if len(variants) > 1:
        for v in variants:
            cells = "  ".join(f"{lang} {out['recall_by_variant'][f'{v[0]}/{v[1]}'][lang]:.2f}" for lang in LANGS)
            print(f"  recall {v[0]}/{v[1]}: {cells}")
    print(f"{'kind right %':14}{per_lang['kk']['kind_right']:>10.2f}{per_lang['ru']['kind_right']:>10.2f}")
    print(f"{'unlabelled':14}{per_lang['kk']['unlabelled']:>10.1f}{per_lang['ru']['unlabelled']:>10.1f}")
    print(
        f"\nfalse alarms: {out['false_alarms_per_100']:.2f} per 100 agreeing pairs "
        f"({len(alarm_pairs)} of {n_agree} agreeing pairs flagged in some rendering)"
    )
    print(f"real disagreements caught in every rendering: {out['disagreements']['caught_in_every_rendering']} of {len(disagree)}")
    tot = Counter[str]()
    for c in EDIT_CLASSES:
        tot.update(edit_res[c])
    print(f"single-number edits: {tot['right']} of {tot['runs']} caught once as `changed` ({tot['reported']} reported at all)")
    for c in EDIT_CLASSES:
        r = edit_res[c]
        print(f"  {c:12} {r['right']:>4} / {r['runs']:<4} right, {r['reported']} reported")
    print(
        f"paragraphs tagged with the wrong language: {out['wrong_language_paragraphs']}; "
        f"figures not placed in a line pair: {out['unplaced_figures']}; rejected letters: {len(out['rejected_letters'])}"
    )
    if not args.quiet:
        print("\n== false alarms (agreeing pairs with a finding)")
        for idx, runs in sorted(alarm_pairs.items()):
            it = by_idx[idx]
            print(f"- {it.ref['kk'].split('corpus/')[1]}  [{len(runs)} of {len(variants)} renderings]")
            print(f"    kk: {it.text['kk']}\n    ru: {it.text['ru']}")
            for r in runs[:2]:
                print(f"    {r}")
        print("\n== real disagreements")
        for it in disagree:
            print(f"- {it.ref['kk'].split('corpus/')[1]} caught in {caught[it.idx]} of {len(variants)}: {it.note}")
        for lang in LANGS:
            print(f"\n== {lang} misses (labelled figure not read), [renderings]")
            for (idx, lab), n in sorted(misses[lang].items()):
                print(f"- {by_idx[idx].ref[lang].split('corpus/')[1]}: {lab} [{n}]")
        for lang in LANGS:
            print(f"\n== {lang} figures read that no label accounts for, [renderings]")
            for (idx, s), n in sorted(extras[lang].items()):
                print(f"- {by_idx[idx].ref[lang].split('corpus/')[1]}: {s!r} [{n}]")
        print("\n== edits not caught right")
        for line in edit_fail:
            print(f"- {line}")
    out["per_lang"] = per_lang
    out["false_alarm_refs"] = sorted(by_idx[i].ref["kk"].split("corpus/")[1] for i in alarm_pairs)
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
