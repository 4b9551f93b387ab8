"""One-language files: the Kazakh or the Russian half of a letter sent as two files.

`extract_letter` raises `OneLanguage` for a file that holds one language only;
it still carries what was read (the paragraphs and the registration line), so
the pipeline can keep the file as a half and `join_halves` can make one letter
of a Kazakh and a Russian half without reading either file again.
"""

from __future__ import annotations

import hashlib

from ..errors import RejectedFile
from ..models import PARTS, Lang, Letter
from .metadata import REGISTRATION, read_meta


class OneLanguage(RejectedFile):
    """A file with one language only: a reject, unless its other half is found."""

    def __init__(self, path: str, detail: str, letter: Letter, lang: Lang, registration: str | None) -> None:
        super().__init__(path, "one_language", detail)
        self.letter = letter
        self.lang = lang
        self.registration = registration

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return OneLanguage, (self.path, self.detail, self.letter, self.lang, self.registration)


def pair_id(kk_sha256: str, ru_sha256: str) -> str:
    """The doc_id of a two-file letter: the SHA-256 of both files' hashes, Kazakh first."""
    return hashlib.sha256(f"{kk_sha256}+{ru_sha256}".encode("ascii")).hexdigest()


def join_halves(kk: Letter, ru: Letter, kk_registration: str | None, ru_registration: str | None) -> Letter:
    """One letter of a Kazakh and a Russian half, as if read from one file.

    Paragraphs keep the page numbers of their own file; `path` is the Kazakh
    file's, `pages` the two files' pages together.
    """
    # In the order of a one-file letter: each part in Kazakh, then in Russian.
    paragraphs = tuple(
        p
        for part in PARTS
        for half, lang in ((kk, "kk"), (ru, "ru"))
        for p in half.paragraphs
        if p.lang == lang and p.part == part
    )
    # The Russian registration line first, as in a one-file letter (read_meta
    # prefers the Russian cover too).
    registration = None
    for text in (ru_registration, kk_registration):
        if text and (m := REGISTRATION.search(text)):
            registration = m
            break
    meta = read_meta(registration, list(paragraphs))
    return Letter(
        path=kk.path,
        sha256=pair_id(kk.sha256, ru.sha256),
        pages=kk.pages + ru.pages,
        meta=meta,
        paragraphs=paragraphs,
        tables=kk.tables + ru.tables,
    )
