-- kkru-etl warehouse schema (DuckDB).
--
-- The schema is applied by etl.load.connect() as numbered migrations: each
-- "-- migration N: title" line starts migration N, which runs once, in one
-- transaction, and is recorded in schema_migrations. Never edit a migration
-- that has shipped; append a new one. Everything before the first marker is
-- the bootstrap, run before any migration (it must be idempotent).
--
-- Vocabularies in the CHECK constraints (lang, part, kind, status, reason)
-- are written out literally so this file runs as-is in the DuckDB CLI; a test
-- compares every list with the tuples in etl/models.py.
--
-- Keys: doc_id is the SHA-256 (lower-case hex) of the PDF's bytes. There are
-- no FOREIGN KEY constraints: the loader replaces a letter by delete-then-insert
-- inside one transaction and keeps the tables consistent itself.
-- Timestamps are UTC, without time zone.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    title      VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- migration 1: letters, paragraphs, figures, pairs, paths, rejects; views

CREATE TABLE documents (
    doc_id       VARCHAR PRIMARY KEY CHECK (regexp_full_match(doc_id, '[0-9a-f]{64}')),
    path         VARCHAR NOT NULL,
    outgoing_no  VARCHAR,
    letter_date  DATE,
    inquiry_no   VARCHAR,
    inquiry_date DATE,
    sender       VARCHAR,
    addressees   VARCHAR,
    signatory    VARCHAR,
    pages        INTEGER NOT NULL CHECK (pages >= 1),
    size         BIGINT CHECK (size >= 0),
    status       VARCHAR NOT NULL CHECK (status IN ('clean', 'mismatch')),
    n_paragraphs INTEGER NOT NULL CHECK (n_paragraphs >= 0),
    n_figures    INTEGER NOT NULL CHECK (n_figures >= 0),
    n_findings   INTEGER NOT NULL CHECK (n_findings >= 0),
    ingested_at  TIMESTAMP NOT NULL
);

-- Every path under which a letter's bytes were seen. (path, size, mtime)
-- lets a re-run skip an unchanged file without opening it.
CREATE TABLE document_paths (
    path    VARCHAR PRIMARY KEY,
    doc_id  VARCHAR NOT NULL,
    size    BIGINT NOT NULL CHECK (size >= 0),
    mtime   BIGINT NOT NULL,          -- st_mtime_ns
    seen_at TIMESTAMP NOT NULL
);

CREATE TABLE paragraphs (
    doc_id  VARCHAR NOT NULL,
    lang    VARCHAR NOT NULL CHECK (lang IN ('kk', 'ru')),
    part    VARCHAR NOT NULL CHECK (part IN ('cover', 'appendix')),
    para_no INTEGER NOT NULL CHECK (para_no >= 1),
    page    INTEGER NOT NULL CHECK (page >= 1),
    text    VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, lang, part, para_no)
);

-- value is the number as written (14 for "14 млн."); value * scale is the amount.
CREATE TABLE figures (
    figure_id    VARCHAR PRIMARY KEY,
    doc_id       VARCHAR NOT NULL,
    lang         VARCHAR NOT NULL CHECK (lang IN ('kk', 'ru')),
    part         VARCHAR NOT NULL CHECK (part IN ('cover', 'appendix')),
    para_no      INTEGER NOT NULL CHECK (para_no >= 1),
    page         INTEGER NOT NULL CHECK (page >= 1),
    surface      VARCHAR NOT NULL,
    value        DOUBLE NOT NULL CHECK (isfinite(value)),
    scale        DOUBLE NOT NULL CHECK (scale > 0),
    unit         VARCHAR,
    kind         VARCHAR NOT NULL CHECK (kind IN ('statistic', 'money', 'date', 'year', 'year_range', 'duration', 'identifier', 'legal_ref', 'count', 'ratio')),
    metric       VARCHAR,
    period_start DATE,
    period_end   DATE,
    context      VARCHAR NOT NULL,
    role         VARCHAR,
    months       INTEGER CHECK (months >= 1),   -- length of the period in months, when it is whole months
    is_partial   BOOLEAN,                       -- the period is not whole calendar years (e.g. "10 months of 2017"); NULL without a period
    char_start   INTEGER CHECK (char_start >= 0),  -- offset of surface in the paragraph text
    from_words   BOOLEAN NOT NULL,              -- written in words ("жеті", "семи")
    CHECK (period_start IS NULL OR period_end IS NULL OR period_start <= period_end)
);

-- One row per figure pair; pair_no keeps the order the aligner produced.
CREATE TABLE figure_pairs (
    doc_id       VARCHAR NOT NULL,
    pair_no      INTEGER NOT NULL CHECK (pair_no >= 1),
    kk_figure_id VARCHAR,
    ru_figure_id VARCHAR,
    status       VARCHAR NOT NULL CHECK (status IN ('match', 'changed', 'missing_kk', 'missing_ru', 'swapped')),
    kind         VARCHAR NOT NULL CHECK (kind IN ('statistic', 'money', 'date', 'year', 'year_range', 'duration', 'identifier', 'legal_ref', 'count', 'ratio')),
    metric       VARCHAR,
    value_kk     DOUBLE,
    value_ru     DOUBLE,
    scale_kk     DOUBLE,
    scale_ru     DOUBLE,
    PRIMARY KEY (doc_id, pair_no),
    CHECK (kk_figure_id IS NOT NULL OR ru_figure_id IS NOT NULL)
);

-- One row per path: the latest reason it could not be read. A later
-- successful ingest of the path deletes the row.
CREATE TABLE rejects (
    path        VARCHAR PRIMARY KEY,
    sha256      VARCHAR,
    reason      VARCHAR NOT NULL CHECK (reason IN ('not_pdf', 'empty', 'corrupt', 'encrypted', 'no_text', 'bad_encoding', 'one_language', 'no_figures', 'too_large', 'internal_error')),
    detail      VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL
);

-- Pairs whose kk and ru figures disagree, with both sentences to show.
CREATE VIEW mismatches AS
SELECT
    p.doc_id,
    d.path,
    d.outgoing_no,
    d.letter_date,
    p.pair_no,
    p.status,
    p.kind,
    p.metric,
    p.value_kk,
    p.value_ru,
    p.scale_kk,
    p.scale_ru,
    p.kk_figure_id,
    k.surface AS kk_surface,
    k.page    AS kk_page,
    k.context AS kk_context,
    p.ru_figure_id,
    r.surface AS ru_surface,
    r.page    AS ru_page,
    r.context AS ru_context
FROM figure_pairs AS p
JOIN documents AS d ON d.doc_id = p.doc_id
LEFT JOIN figures AS k ON k.doc_id = p.doc_id AND k.figure_id = p.kk_figure_id
LEFT JOIN figures AS r ON r.doc_id = p.doc_id AND r.figure_id = p.ru_figure_id
WHERE p.status <> 'match';

-- One row per letter, metric and period: the value that letter states.
--
-- Source: figure pairs with status 'match' only, i.e. one value per pair that
-- both languages state identically. A number the kk and ru texts disagree on
-- (or that one text lacks) is not trusted here; it is in `mismatches`.
-- Metric and period come from the kk figure, falling back to the ru one.
-- value is the amount (figures.value * figures.scale), so "14 млн." and
-- "14 000 000" compare equal across letters; value_as_written and scale keep
-- the text's form. When one letter states the same metric and period twice,
-- the first pair in the letter's order gives the value and n_statements says
-- how often it was stated.
CREATE VIEW letter_metrics AS
WITH stated AS (
    SELECT
        p.doc_id,
        p.pair_no,
        p.metric                                  AS metric,  -- set only when kk and ru agree
        CASE WHEN k.period_start = r.period_start AND k.period_end = r.period_end
             THEN k.period_start END              AS period_start,
        CASE WHEN k.period_start = r.period_start AND k.period_end = r.period_end
             THEN k.period_end END                AS period_end,
        k.value * k.scale                         AS value,
        k.value                                   AS value_as_written,
        k.scale,
        coalesce(k.unit, r.unit)                  AS unit,
        coalesce(k.months, r.months)              AS months,
        coalesce(k.is_partial, r.is_partial)      AS is_partial,
        k.figure_id                               AS kk_figure_id,
        r.figure_id                               AS ru_figure_id
    FROM figure_pairs AS p
    JOIN figures AS k ON k.doc_id = p.doc_id AND k.figure_id = p.kk_figure_id
    JOIN figures AS r ON r.doc_id = p.doc_id AND r.figure_id = p.ru_figure_id
    WHERE p.status = 'match'
)
SELECT
    s.metric,
    s.period_start,
    s.period_end,
    s.value,
    s.value_as_written,
    s.scale,
    s.unit,
    s.months,
    s.is_partial,
    s.doc_id,
    d.letter_date,
    d.ingested_at,
    d.outgoing_no,
    d.path,
    s.kk_figure_id,
    s.ru_figure_id,
    count(*) OVER (PARTITION BY s.doc_id, s.metric, s.period_start, s.period_end) AS n_statements
FROM stated AS s
JOIN documents AS d ON d.doc_id = s.doc_id
WHERE s.metric IS NOT NULL AND s.period_start IS NOT NULL AND s.period_end IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY s.doc_id, s.metric, s.period_start, s.period_end ORDER BY s.pair_no) = 1;

-- How metric M moved: one row per (metric, period_start, period_end), the value
-- of the latest letter that states it (latest by letter_date, then
-- ingested_at; a letter without a date counts as the oldest). n_letters is how
-- many letters state it; disagree is true when they state different values
-- (see `revisions` for each letter's value).
CREATE VIEW trends AS
WITH agg AS (
    SELECT metric, period_start, period_end,
           count(*) AS n_letters,
           count(DISTINCT value) > 1 AS disagree
    FROM letter_metrics
    GROUP BY metric, period_start, period_end
),
latest AS (
    SELECT *
    FROM letter_metrics
    QUALIFY row_number() OVER (
        PARTITION BY metric, period_start, period_end
        ORDER BY letter_date DESC NULLS LAST, ingested_at DESC, doc_id DESC
    ) = 1
)
SELECT
    l.metric,
    l.period_start,
    l.period_end,
    l.value,
    l.unit,
    l.doc_id,
    l.letter_date,
    l.months,
    l.is_partial,
    a.n_letters,
    a.disagree,
    l.outgoing_no,
    l.path
FROM latest AS l
JOIN agg AS a
  ON a.metric = l.metric AND a.period_start = l.period_start AND a.period_end = l.period_end;

-- Every metric and period whose value differs between letters: one row per
-- letter stating it, with that letter's value. is_latest marks the row that
-- `trends` reports.
CREATE VIEW revisions AS
WITH ranked AS (
    SELECT
        *,
        count(*) OVER (PARTITION BY metric, period_start, period_end) AS n_letters,
        row_number() OVER (
            PARTITION BY metric, period_start, period_end
            ORDER BY letter_date DESC NULLS LAST, ingested_at DESC, doc_id DESC
        ) = 1 AS is_latest,
        min(value) OVER (PARTITION BY metric, period_start, period_end)
            <> max(value) OVER (PARTITION BY metric, period_start, period_end) AS differs
    FROM letter_metrics
)
SELECT
    metric,
    period_start,
    period_end,
    doc_id,
    letter_date,
    value,
    unit,
    months,
    is_partial,
    outgoing_no,
    path,
    n_letters,
    is_latest
FROM ranked
WHERE differs;

-- migration 2: metric catalogue

-- The canonical metrics of schemas/metrics.toml, refreshed on every ingest.
CREATE TABLE metrics (
    metric      VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL,
    unit        VARCHAR,
    topic       VARCHAR NOT NULL,
    category    VARCHAR,
    roles       VARCHAR,          -- comma-separated roles the metric accepts
    as_of       BOOLEAN NOT NULL  -- a stock counted on the letter's date, not a flow over a period
);

-- migration 3: letter rows without key indexes

-- The per-letter tables lose their PRIMARY KEYs. DuckDB rewrites a table's
-- key index at every checkpoint, so each load got slower as the warehouse
-- grew; the loader keeps the keys itself (pandera checks them per batch, a
-- letter is replaced by delete-then-insert in one transaction, and every
-- figure_id starts with its doc_id). Keys: paragraphs (doc_id, lang, part,
-- para_no), figures (figure_id), figure_pairs (doc_id, pair_no).

CREATE TABLE paragraphs_v3 (
    doc_id  VARCHAR NOT NULL,
    lang    VARCHAR NOT NULL CHECK (lang IN ('kk', 'ru')),
    part    VARCHAR NOT NULL CHECK (part IN ('cover', 'appendix')),
    para_no INTEGER NOT NULL CHECK (para_no >= 1),
    page    INTEGER NOT NULL CHECK (page >= 1),
    text    VARCHAR NOT NULL
);
INSERT INTO paragraphs_v3 SELECT * FROM paragraphs;
DROP TABLE paragraphs;
ALTER TABLE paragraphs_v3 RENAME TO paragraphs;

CREATE TABLE figures_v3 (
    figure_id    VARCHAR NOT NULL,
    doc_id       VARCHAR NOT NULL,
    lang         VARCHAR NOT NULL CHECK (lang IN ('kk', 'ru')),
    part         VARCHAR NOT NULL CHECK (part IN ('cover', 'appendix')),
    para_no      INTEGER NOT NULL CHECK (para_no >= 1),
    page         INTEGER NOT NULL CHECK (page >= 1),
    surface      VARCHAR NOT NULL,
    value        DOUBLE NOT NULL CHECK (isfinite(value)),
    scale        DOUBLE NOT NULL CHECK (scale > 0),
    unit         VARCHAR,
    kind         VARCHAR NOT NULL CHECK (kind IN ('statistic', 'money', 'date', 'year', 'year_range', 'duration', 'identifier', 'legal_ref', 'count', 'ratio')),
    metric       VARCHAR,
    period_start DATE,
    period_end   DATE,
    context      VARCHAR NOT NULL,
    role         VARCHAR,
    months       INTEGER CHECK (months >= 1),   -- length of the period in months, when it is whole months
    is_partial   BOOLEAN,                       -- the period is not whole calendar years (e.g. "10 months of 2017"); NULL without a period
    char_start   INTEGER CHECK (char_start >= 0),  -- offset of surface in the paragraph text
    from_words   BOOLEAN NOT NULL,              -- written in words ("жеті", "семи")
    CHECK (period_start IS NULL OR period_end IS NULL OR period_start <= period_end)
);
INSERT INTO figures_v3 SELECT * FROM figures;
DROP TABLE figures;
ALTER TABLE figures_v3 RENAME TO figures;

CREATE TABLE figure_pairs_v3 (
    doc_id       VARCHAR NOT NULL,
    pair_no      INTEGER NOT NULL CHECK (pair_no >= 1),
    kk_figure_id VARCHAR,
    ru_figure_id VARCHAR,
    status       VARCHAR NOT NULL CHECK (status IN ('match', 'changed', 'missing_kk', 'missing_ru', 'swapped')),
    kind         VARCHAR NOT NULL CHECK (kind IN ('statistic', 'money', 'date', 'year', 'year_range', 'duration', 'identifier', 'legal_ref', 'count', 'ratio')),
    metric       VARCHAR,
    value_kk     DOUBLE,
    value_ru     DOUBLE,
    scale_kk     DOUBLE,
    scale_ru     DOUBLE,
    CHECK (kk_figure_id IS NOT NULL OR ru_figure_id IS NOT NULL)
);
INSERT INTO figure_pairs_v3 SELECT * FROM figure_pairs;
DROP TABLE figure_pairs;
ALTER TABLE figure_pairs_v3 RENAME TO figure_pairs;

-- migration 4: table cells on figures; tables

-- A figure read from a table cell carries its table, row and column (1-based;
-- column 1 holds the row labels) and the row's label and column's header as
-- printed in its language. NULL for figures of running text.
ALTER TABLE figures ADD COLUMN table_no INTEGER;
ALTER TABLE figures ADD COLUMN row_no INTEGER;
ALTER TABLE figures ADD COLUMN col_no INTEGER;
ALTER TABLE figures ADD COLUMN row_label VARCHAR;
ALTER TABLE figures ADD COLUMN col_label VARCHAR;

-- Every table of every letter, per language. Key (doc_id, lang, table_no),
-- kept by the loader as for the other letter rows.
CREATE TABLE tables (
    doc_id   VARCHAR NOT NULL,
    lang     VARCHAR NOT NULL CHECK (lang IN ('kk', 'ru')),
    part     VARCHAR NOT NULL CHECK (part IN ('cover', 'appendix')),
    table_no INTEGER NOT NULL CHECK (table_no >= 1),
    page     INTEGER NOT NULL CHECK (page >= 1),     -- where it starts
    last_page INTEGER NOT NULL CHECK (last_page >= page),  -- where it ends (a table may run over pages)
    n_rows   INTEGER NOT NULL CHECK (n_rows >= 1),   -- data rows, the header row not counted
    n_cols   INTEGER NOT NULL CHECK (n_cols >= 1),   -- columns, the row labels included
    title    VARCHAR NOT NULL,                       -- the line above the table, '' when none
    header   VARCHAR NOT NULL,                       -- the column headers, joined by ' | '
    ruled    BOOLEAN NOT NULL                        -- drawn with rules (else aligned by space)
);

-- migration 5: figures read by OCR

-- Scanned letters are read through OCR (etl/extract/ocr.py). A figure says
-- whether it comes from a text layer or from OCR, and with what confidence
-- (Tesseract's word confidence, 0-100; its re-read's when a disagreement
-- made the number be read again); a letter says how many of its pages were
-- read by OCR. Rows loaded before keep 'text' and 0.

ALTER TABLE figures ADD COLUMN source VARCHAR DEFAULT 'text';
UPDATE figures SET source = 'text' WHERE source IS NULL;
ALTER TABLE figures ADD COLUMN ocr_confidence DOUBLE;
ALTER TABLE documents ADD COLUMN ocr_pages INTEGER DEFAULT 0;
UPDATE documents SET ocr_pages = 0 WHERE ocr_pages IS NULL;

-- migration 6: series of every statistic, period findings, catalogue on top

-- What each statistic measures, found without a catalogue (etl/figures/series.py):
-- the key read from the Russian text (a Kazakh figure takes its pair's) and
-- the readable label in the figure's own language.
ALTER TABLE figures ADD COLUMN series VARCHAR;
ALTER TABLE figures ADD COLUMN series_label VARCHAR;

-- figure_pairs gains the series and the status period_differs (a matched
-- pair whose kk and ru figures cover different periods); a CHECK cannot be
-- altered, so the table is rebuilt.
CREATE TABLE figure_pairs_v6 (
    doc_id       VARCHAR NOT NULL,
    pair_no      INTEGER NOT NULL CHECK (pair_no >= 1),
    kk_figure_id VARCHAR,
    ru_figure_id VARCHAR,
    status       VARCHAR NOT NULL CHECK (status IN ('match', 'changed', 'missing_kk', 'missing_ru', 'swapped', 'period_differs')),
    kind         VARCHAR NOT NULL CHECK (kind IN ('statistic', 'money', 'date', 'year', 'year_range', 'duration', 'identifier', 'legal_ref', 'count', 'ratio')),
    metric       VARCHAR,
    value_kk     DOUBLE,
    value_ru     DOUBLE,
    scale_kk     DOUBLE,
    scale_ru     DOUBLE,
    series       VARCHAR,
    CHECK (kk_figure_id IS NOT NULL OR ru_figure_id IS NOT NULL)
);
INSERT INTO figure_pairs_v6 BY NAME SELECT * FROM figure_pairs;
DROP TABLE figure_pairs;
ALTER TABLE figure_pairs_v6 RENAME TO figure_pairs;

-- The catalogue's [[series]] entries: series key -> canonical metric
-- (several keys may share one metric: differently worded series merged).
-- Replaced whenever the catalogue in use changes.
CREATE TABLE series_metrics (
    series VARCHAR PRIMARY KEY,
    metric VARCHAR NOT NULL
);

-- Which catalogue the figures' metrics were read with (one row): an ingest
-- with another catalogue re-keys every letter from its stored paragraphs.
CREATE TABLE catalogue_state (
    source     VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

DROP VIEW revisions;
DROP VIEW trends;
DROP VIEW letter_metrics;

-- One row per letter, series and period: the value that letter states.
-- As before, only pairs with status 'match' (both languages state the value
-- and the period alike). metric is the catalogue's name where one exists
-- (a [[series]] mapping, else a [[metric]] both languages agree on), else
-- the series key itself, so every statistic with a period reaches trends.
CREATE VIEW letter_metrics AS
WITH stated AS (
    SELECT
        p.doc_id,
        p.pair_no,
        coalesce(sm.metric, p.metric, p.series)   AS metric,
        p.series,
        CASE WHEN k.period_start = r.period_start AND k.period_end = r.period_end
             THEN k.period_start END              AS period_start,
        CASE WHEN k.period_start = r.period_start AND k.period_end = r.period_end
             THEN k.period_end END                AS period_end,
        k.value * k.scale                         AS value,
        k.value                                   AS value_as_written,
        k.scale,
        coalesce(k.unit, r.unit)                  AS unit,
        coalesce(k.months, r.months)              AS months,
        coalesce(k.is_partial, r.is_partial)      AS is_partial,
        k.figure_id                               AS kk_figure_id,
        r.figure_id                               AS ru_figure_id
    FROM figure_pairs AS p
    JOIN figures AS k ON k.doc_id = p.doc_id AND k.figure_id = p.kk_figure_id
    JOIN figures AS r ON r.doc_id = p.doc_id AND r.figure_id = p.ru_figure_id
    LEFT JOIN series_metrics AS sm ON sm.series = p.series
    WHERE p.status = 'match'
)
SELECT
    s.metric,
    s.series,
    s.period_start,
    s.period_end,
    s.value,
    s.value_as_written,
    s.scale,
    s.unit,
    s.months,
    s.is_partial,
    s.doc_id,
    d.letter_date,
    d.ingested_at,
    d.outgoing_no,
    d.path,
    s.kk_figure_id,
    s.ru_figure_id,
    count(*) OVER (PARTITION BY s.doc_id, s.metric, s.period_start, s.period_end) AS n_statements
FROM stated AS s
JOIN documents AS d ON d.doc_id = s.doc_id
WHERE s.metric IS NOT NULL AND s.period_start IS NOT NULL AND s.period_end IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY s.doc_id, s.metric, s.period_start, s.period_end ORDER BY s.pair_no) = 1;

-- As in migration 1, now by metric or series (see letter_metrics).
CREATE VIEW trends AS
WITH agg AS (
    SELECT metric, period_start, period_end,
           count(*) AS n_letters,
           count(DISTINCT value) > 1 AS disagree
    FROM letter_metrics
    GROUP BY metric, period_start, period_end
),
latest AS (
    SELECT *
    FROM letter_metrics
    QUALIFY row_number() OVER (
        PARTITION BY metric, period_start, period_end
        ORDER BY letter_date DESC NULLS LAST, ingested_at DESC, doc_id DESC
    ) = 1
)
SELECT
    l.metric,
    l.period_start,
    l.period_end,
    l.value,
    l.unit,
    l.doc_id,
    l.letter_date,
    l.months,
    l.is_partial,
    a.n_letters,
    a.disagree,
    l.outgoing_no,
    l.path,
    l.series
FROM latest AS l
JOIN agg AS a
  ON a.metric = l.metric AND a.period_start = l.period_start AND a.period_end = l.period_end;

CREATE VIEW revisions AS
WITH ranked AS (
    SELECT
        *,
        count(*) OVER (PARTITION BY metric, period_start, period_end) AS n_letters,
        row_number() OVER (
            PARTITION BY metric, period_start, period_end
            ORDER BY letter_date DESC NULLS LAST, ingested_at DESC, doc_id DESC
        ) = 1 AS is_latest,
        min(value) OVER (PARTITION BY metric, period_start, period_end)
            <> max(value) OVER (PARTITION BY metric, period_start, period_end) AS differs
    FROM letter_metrics
)
SELECT
    metric,
    period_start,
    period_end,
    doc_id,
    letter_date,
    value,
    unit,
    months,
    is_partial,
    outgoing_no,
    path,
    n_letters,
    is_latest,
    series
FROM ranked
WHERE differs;

-- migration 7: halves of two-file letters waiting for their other half

-- A Kazakh-only or Russian-only file whose other half has not come yet: not
-- a reject. The letter is loaded (one documents row, both paths in
-- document_paths) when its other half comes, and its rows here go.
CREATE TABLE pending_halves (
    path        VARCHAR PRIMARY KEY,
    sha256      VARCHAR NOT NULL CHECK (regexp_full_match(sha256, '[0-9a-f]{64}')),
    lang        VARCHAR NOT NULL CHECK (lang IN ('kk', 'ru')),
    outgoing_no VARCHAR,              -- the registration line halves are paired by
    letter_date DATE,
    size        BIGINT NOT NULL CHECK (size >= 0),
    mtime       BIGINT NOT NULL,      -- st_mtime_ns
    since       TIMESTAMP NOT NULL    -- first recorded as waiting
);

-- migration 8: trend views over a narrow table of agreeing statements

-- What letter_metrics is made of: every pair both languages state alike
-- (status 'match', the same period in both), with a period and a metric or
-- series. Read through figure_pairs and figures (two joins on figure ids
-- across the whole warehouse), it made every trends query cost seconds on an
-- archive; the writer now keeps these rows in `statements`, letter by letter
-- in the transaction that loads the letter (and re-keys them with the
-- catalogue), so the views read a narrow table.
CREATE VIEW statement_rows AS
SELECT
    p.doc_id,
    p.pair_no,
    p.metric,
    p.series,
    k.period_start,
    k.period_end,
    k.value * k.scale                         AS value,
    k.value                                   AS value_as_written,
    k.scale,
    coalesce(k.unit, r.unit)                  AS unit,
    coalesce(k.months, r.months)              AS months,
    coalesce(k.is_partial, r.is_partial)      AS is_partial,
    k.figure_id                               AS kk_figure_id,
    r.figure_id                               AS ru_figure_id
FROM figure_pairs AS p
JOIN figures AS k ON k.doc_id = p.doc_id AND k.figure_id = p.kk_figure_id
JOIN figures AS r ON r.doc_id = p.doc_id AND r.figure_id = p.ru_figure_id
WHERE p.status = 'match'
  AND k.period_start = r.period_start AND k.period_end = r.period_end
  AND (p.metric IS NOT NULL OR p.series IS NOT NULL);

CREATE TABLE statements (
    doc_id           VARCHAR NOT NULL,
    pair_no          INTEGER NOT NULL,
    metric           VARCHAR,          -- the pair's metric from the catalogue, if any
    series           VARCHAR,
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL,
    value            DOUBLE,           -- value * scale
    value_as_written DOUBLE,
    scale            DOUBLE,
    unit             VARCHAR,
    months           INTEGER,
    is_partial       BOOLEAN,
    kk_figure_id     VARCHAR,
    ru_figure_id     VARCHAR
);

INSERT INTO statements SELECT * FROM statement_rows ORDER BY doc_id, pair_no;

DROP VIEW revisions;
DROP VIEW trends;
DROP VIEW letter_metrics;

-- As in migration 6, read from `statements`: one row per letter, metric (the
-- catalogue's name, else the series key) and period.
CREATE VIEW letter_metrics AS
WITH stated AS (
    SELECT coalesce(sm.metric, s.metric, s.series) AS metric, s.* EXCLUDE (metric)
    FROM statements AS s
    LEFT JOIN series_metrics AS sm ON sm.series = s.series
)
SELECT
    s.metric,
    s.series,
    s.period_start,
    s.period_end,
    s.value,
    s.value_as_written,
    s.scale,
    s.unit,
    s.months,
    s.is_partial,
    s.doc_id,
    d.letter_date,
    d.ingested_at,
    d.outgoing_no,
    d.path,
    s.kk_figure_id,
    s.ru_figure_id,
    count(*) OVER (PARTITION BY s.doc_id, s.metric, s.period_start, s.period_end) AS n_statements
FROM stated AS s
JOIN documents AS d ON d.doc_id = s.doc_id
QUALIFY row_number() OVER (PARTITION BY s.doc_id, s.metric, s.period_start, s.period_end ORDER BY s.pair_no) = 1;

-- letter_metrics narrowed to what trends and revisions rank letters by:
-- one row per letter, metric and period (its first statement), with the
-- letter's date. Ranking these narrow rows, then fetching the few winners'
-- columns, is what keeps trends quick on an archive.
CREATE VIEW letter_metric_keys AS
WITH keyed AS (
    SELECT coalesce(sm.metric, s.metric, s.series) AS metric, s.doc_id, s.pair_no, s.period_start, s.period_end, s.value
    FROM statements AS s
    LEFT JOIN series_metrics AS sm ON sm.series = s.series
)
SELECT
    k.metric,
    k.doc_id,
    k.period_start,
    k.period_end,
    min(k.pair_no)                   AS pair_no,
    arg_min(k.value, k.pair_no)      AS value,
    any_value(d.letter_date)         AS letter_date,
    any_value(d.ingested_at)         AS ingested_at
FROM keyed AS k
JOIN documents AS d ON d.doc_id = k.doc_id
GROUP BY k.metric, k.doc_id, k.period_start, k.period_end;

-- Per metric and period: how many letters state it, whether they disagree,
-- and the latest letter (by letter_date, NULLs last, then ingested_at, then
-- doc_id, as before: the largest of that tuple).
CREATE VIEW metric_periods AS
SELECT
    metric,
    period_start,
    period_end,
    count(*)                     AS n_letters,
    count(DISTINCT value) > 1    AS disagree,
    min(value) <> max(value)     AS differs,
    max(struct_pack(
        dated := letter_date IS NOT NULL,
        letter_date := coalesce(letter_date, DATE '0001-01-01'),
        ingested_at := ingested_at,
        doc_id := doc_id,
        pair_no := pair_no
    ))                           AS latest
FROM letter_metric_keys
GROUP BY metric, period_start, period_end;

-- As in migration 6 (the same rows and columns), read from metric_periods.
CREATE VIEW trends AS
SELECT
    p.metric,
    p.period_start,
    p.period_end,
    s.value,
    s.unit,
    s.doc_id,
    d.letter_date,
    s.months,
    s.is_partial,
    p.n_letters,
    p.disagree,
    d.outgoing_no,
    d.path,
    s.series
FROM metric_periods AS p
JOIN statements AS s ON s.doc_id = p.latest.doc_id AND s.pair_no = p.latest.pair_no
JOIN documents AS d ON d.doc_id = s.doc_id;

CREATE VIEW revisions AS
SELECT
    k.metric,
    k.period_start,
    k.period_end,
    k.doc_id,
    d.letter_date,
    s.value,
    s.unit,
    s.months,
    s.is_partial,
    d.outgoing_no,
    d.path,
    p.n_letters,
    k.doc_id = p.latest.doc_id   AS is_latest,
    s.series
FROM metric_periods AS p
JOIN letter_metric_keys AS k
  ON k.metric = p.metric AND k.period_start = p.period_start AND k.period_end = p.period_end
JOIN statements AS s ON s.doc_id = k.doc_id AND s.pair_no = k.pair_no
JOIN documents AS d ON d.doc_id = k.doc_id
WHERE p.differs;

-- As in migration 1 (the same rows and columns): the figures of the pairs
-- that disagree are looked up by id first, so a warehouse with few
-- mismatches no longer builds a hash table of every figure to show them.
DROP VIEW mismatches;
CREATE VIEW mismatches AS
WITH bad AS (
    SELECT * FROM figure_pairs WHERE status <> 'match'
),
shown AS (
    SELECT doc_id, figure_id, surface, page, context
    FROM figures
    WHERE figure_id IN (SELECT kk_figure_id FROM bad UNION ALL SELECT ru_figure_id FROM bad)
)
SELECT
    p.doc_id,
    d.path,
    d.outgoing_no,
    d.letter_date,
    p.pair_no,
    p.status,
    p.kind,
    p.metric,
    p.value_kk,
    p.value_ru,
    p.scale_kk,
    p.scale_ru,
    p.kk_figure_id,
    k.surface AS kk_surface,
    k.page    AS kk_page,
    k.context AS kk_context,
    p.ru_figure_id,
    r.surface AS ru_surface,
    r.page    AS ru_page,
    r.context AS ru_context
FROM bad AS p
JOIN documents AS d ON d.doc_id = p.doc_id
LEFT JOIN shown AS k ON k.doc_id = p.doc_id AND k.figure_id = p.kk_figure_id
LEFT JOIN shown AS r ON r.doc_id = p.doc_id AND r.figure_id = p.ru_figure_id;

-- Amounts whose digit groups the reader joined across a plain space
-- ("13 628,4": one number, or 13 and 628,4?): read as one number in both
-- languages alike, and said so here (etl/figures/grouping.py).
ALTER TABLE figures ADD COLUMN grouping VARCHAR;
UPDATE figures SET grouping = 'plain_space'
WHERE kind IN ('statistic', 'money') AND regexp_matches(surface, '\d \d{3}(\D|$)');
