"""Run by hand: edits of every kind in one language, printed by a browser and
exported by a word processor, must each give exactly their findings.

    python tests/producers/edits.py        # needs chromium and soffice, like make.py

The committed tests do the same through the project's own renderer
(tests/test_gate_pdfs.py); this script covers the other producers.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make import export_writer, print_browser  # noqa: E402

from etl.fixtures.letter import load_sample, substitute  # noqa: E402
from etl.pipeline import process_bytes  # noqa: E402

# (name, language, part, old text, new text, expected findings)
CASES = [
    ("statistic", "ru", "appendix", "зарегистрировано 128", "зарегистрировано 129", [("changed", "128", "129")]),
    ("kazakh suffix", "kk", "appendix", "45-тен", "46-дан", [("changed", "46-дан", "45")]),
    ("money scale", "ru", "appendix", "14 млн. тенге", "14 млрд. тенге", [("changed", "14 млн. теңгеден", "14 млрд. тенге")]),
    ("enumeration", "ru", "appendix", "402 – по линии", "420 – по линии", [("changed", "402", "420")]),
    ("removed clause", "ru", "appendix", ", прерваны сроки по 25 делам", "", [("missing_ru", "25", None)]),
    (
        "swap",
        "kk",
        "appendix",
        "ашылғаны – 7, мерзімдері үзілгені 25",
        "ашылғаны – 25, мерзімдері үзілгені 7",
        [("swapped", "25", "25"), ("swapped", "7", "7")],
    ),
    ("staff", "kk", "appendix", "(11 адам)", "(12 адам)", [("changed", "12", "11")]),
    ("ratio", "ru", "appendix", "141/108", "141/180", [("changed", "108", "180")]),
]


def main() -> int:
    failures = 0
    out_dir = Path(tempfile.mkdtemp(prefix="kkru-edits-"))
    for name, lang, part, old, new, expected in CASES:
        doc = substitute(load_sample(), lang, part, old, new)  # type: ignore[arg-type]
        producers = (
            ("browser", print_browser),
            ("writer", export_writer),
            ("browser-two-column", lambda d, out: print_browser(d, out, "all")),
            ("writer-two-column", lambda d, out: export_writer(d, out, True)),
        )
        for producer, make in producers:
            pdf = out_dir / f"{name.replace(' ', '-')}-{producer}.pdf"
            make(doc, pdf)
            result = process_bytes(str(pdf), pdf.read_bytes())
            got = sorted((p.status, p.kk.surface if p.kk else None, p.ru.surface if p.ru else None) for p in result.findings)
            ok = got == sorted(expected)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name:<16} {producer:<18} {got}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
