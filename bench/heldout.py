"""Held-out pairs: random corpus line pairs outside the labelled set, through the reader and aligner.

    python bench/heldout.py [--seed 7] [--pairs 360] [--corpus DIR]

Draws line pairs of the shared corpus that are not in
`bench/accuracy/labels.jsonl` and have a digit on both sides, runs them
twelve at a time through the reader and the aligner (as
`bench/accuracy.py --variants text/text` does) and prints each pair that gets
a finding, with both lines and the findings, for a person to sort into
misaligned lines, partial translations, real differences and the reader's
own mistakes. Nothing here is labelled, so it gives no rate by itself: it is
where new rules come from, and a check that a rule changed only what it
meant to (run it before and after, on the same seed).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy as A  # noqa: E402


def candidate_pairs(corpus: Path) -> list[tuple[str, str, str]]:
    labelled = {json.loads(line)["kk"].split("corpus/", 1)[1] for line in A.LABELS.read_text(encoding="utf-8").splitlines()}
    pairs = []
    for kk in sorted(corpus.rglob("*.kk.txt")):
        ru = kk.with_name(kk.name.replace(".kk.txt", ".ru.txt"))
        rel = str(kk.relative_to(corpus))
        kk_lines = kk.read_text(encoding="utf-8").split("\n")
        ru_lines = ru.read_text(encoding="utf-8").split("\n")
        for no, (a, b) in enumerate(zip(kk_lines, ru_lines), start=1):
            if f"{rel}:{no}" not in labelled and re.search(r"\d", a) and re.search(r"\d", b):
                pairs.append((f"{rel}:{no}", a.strip(), b.strip()))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pairs", type=int, default=360)
    parser.add_argument("--corpus", default=None)
    args = parser.parse_args(argv)
    pairs = candidate_pairs(A._corpus_dir(args.corpus))
    sample = random.Random(args.seed).sample(pairs, min(args.pairs, len(pairs)))
    items = [
        A.Item(n, {"kk": ref, "ru": ref}, "agree", {"kk": [], "ru": []}, {"kk": A._DRAWABLE.sub(" ", a), "ru": A._DRAWABLE.sub(" ", b)})
        for n, (ref, a, b) in enumerate(sample)
    ]
    texts = {it.idx: it.text for it in items}
    flagged: dict[int, list[str]] = {}
    for start in range(0, len(items), A.PAIRS_PER_LETTER):
        for pair, kk, ru in A.run_text(items[start : start + A.PAIRS_PER_LETTER], texts).findings:
            for idx in {kk, ru} - {None}:
                flagged.setdefault(idx, []).append(A._describe(pair))  # type: ignore[arg-type]
    print(f"{len(pairs)} unlabelled pairs with digits on both sides; {len(items)} drawn (seed {args.seed}); "
          f"{len(flagged)} with a finding")
    for idx in sorted(flagged):
        ref, a, b = sample[idx]
        print(f"\n#{idx} {ref}\n  kk: {a[:400]}\n  ru: {b[:400]}\n  findings: {'; '.join(flagged[idx])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
