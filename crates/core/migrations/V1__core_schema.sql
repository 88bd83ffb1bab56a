-- The core glossary schema.
--
-- People open this database in the sqlite3 shell and DB Browser for SQLite,
-- so the rules live here, not only in the glossary binary: NOT NULL, CHECK,
-- UNIQUE and foreign keys with ON DELETE CASCADE. Positions are 1-based.
-- Timestamps are UTC, ISO 8601 ('2023-12-02T10:00:00Z').
--
-- A shipped migration is never edited: change the schema in the next file.

-- A word or phrase the glossary defines ("Producer", "Executive Producer").
CREATE TABLE terms (
    id              INTEGER PRIMARY KEY,
    -- The term as it is displayed.
    term            TEXT NOT NULL
                    CHECK (length(trim(term)) > 0 AND term = trim(term)),
    -- How the term is found: case and accents folded ("Père" -> "pere").
    -- glossary computes it with full Unicode case folding; a row inserted
    -- by hand without it gets lower(term) from a trigger below, which is
    -- exact for ASCII terms.
    lookup_key      TEXT UNIQUE
                    CHECK (lookup_key IS NULL OR length(lookup_key) > 0),
    part_of_speech  TEXT CHECK (part_of_speech IS NULL OR length(trim(part_of_speech)) > 0),
    note            TEXT CHECK (note IS NULL OR length(trim(note)) > 0),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Fill in the lookup key of a term inserted without one.
CREATE TRIGGER terms_fill_lookup_key
AFTER INSERT ON terms
WHEN NEW.lookup_key IS NULL
BEGIN
    UPDATE terms SET lookup_key = lower(NEW.term) WHERE id = NEW.id;
END;

-- A term renamed by hand to a plain ASCII name gets the matching key, so it
-- is still found by its new name. (glossary itself sets the key on rename.)
CREATE TRIGGER terms_follow_lookup_key
AFTER UPDATE OF term ON terms
WHEN NEW.lookup_key IS OLD.lookup_key
 AND lower(NEW.term) <> lower(OLD.term)
 AND NEW.term NOT GLOB '*[^ -~]*'
BEGIN
    UPDATE terms SET lookup_key = lower(NEW.term) WHERE id = NEW.id;
END;

CREATE TRIGGER terms_lookup_key_not_null
BEFORE UPDATE OF lookup_key ON terms
WHEN NEW.lookup_key IS NULL
BEGIN
    SELECT RAISE(ABORT, 'terms.lookup_key cannot be NULL');
END;

CREATE TRIGGER terms_touch
AFTER UPDATE ON terms
WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

-- One numbered meaning of a term: "1. [film] A person who oversees ...".
CREATE TABLE senses (
    id              INTEGER PRIMARY KEY,
    term_id         INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    sense_number    INTEGER NOT NULL CHECK (typeof(sense_number) = 'integer' AND sense_number > 0),
    -- The field the sense belongs to (film, ecology, business...), if any.
    domain          TEXT CHECK (domain IS NULL OR length(trim(domain)) > 0),
    definition      TEXT NOT NULL CHECK (length(trim(definition)) > 0),
    UNIQUE (term_id, sense_number)
);

-- An example sentence for one sense, in display order.
CREATE TABLE examples (
    id              INTEGER PRIMARY KEY,
    sense_id        INTEGER NOT NULL REFERENCES senses (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (typeof(position) = 'integer' AND position > 0),
    text            TEXT NOT NULL CHECK (length(trim(text)) > 0),
    UNIQUE (sense_id, text),
    UNIQUE (sense_id, position)
);

-- An article comparing two terms: "Producer vs. Executive Producer".
CREATE TABLE comparisons (
    id              INTEGER PRIMARY KEY,
    -- The article's name in URLs and on the command line.
    slug            TEXT NOT NULL UNIQUE
                    CHECK (length(slug) > 0
                           AND slug NOT GLOB '*[^a-z0-9-]*'
                           AND slug NOT GLOB '-*'
                           AND slug NOT GLOB '*-'
                           AND slug NOT GLOB '*--*'),
    left_term_id    INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    right_term_id   INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    title           TEXT CHECK (title IS NULL OR length(trim(title)) > 0),
    summary         TEXT CHECK (summary IS NULL OR length(trim(summary)) > 0),
    -- Publication date, YYYY-MM-DD; a real calendar date.
    published       TEXT CHECK (published IS NULL
                                OR (published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                                    AND date(published) IS published)),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (left_term_id <> right_term_id)
);

CREATE INDEX comparisons_by_left_term ON comparisons (left_term_id);
CREATE INDEX comparisons_by_right_term ON comparisons (right_term_id);

CREATE TRIGGER comparisons_touch
AFTER UPDATE ON comparisons
WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

-- The article's "Key Differences" paragraphs, in order.
CREATE TABLE differences (
    id              INTEGER PRIMARY KEY,
    comparison_id   INTEGER NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (typeof(position) = 'integer' AND position > 0),
    text            TEXT NOT NULL CHECK (length(trim(text)) > 0),
    UNIQUE (comparison_id, position)
);

-- The article's comparison chart: one aspect per row, the left term's value
-- and the right term's value.
CREATE TABLE comparison_rows (
    id              INTEGER PRIMARY KEY,
    comparison_id   INTEGER NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (typeof(position) = 'integer' AND position > 0),
    aspect          TEXT NOT NULL CHECK (length(trim(aspect)) > 0),
    left_value      TEXT NOT NULL CHECK (length(trim(left_value)) > 0),
    right_value     TEXT NOT NULL CHECK (length(trim(right_value)) > 0),
    UNIQUE (comparison_id, aspect),
    UNIQUE (comparison_id, position)
);

-- Frequently asked questions of an article, in order.
CREATE TABLE faqs (
    id              INTEGER PRIMARY KEY,
    comparison_id   INTEGER NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (typeof(position) = 'integer' AND position > 0),
    question        TEXT NOT NULL CHECK (length(trim(question)) > 0),
    answer          TEXT NOT NULL CHECK (length(trim(answer)) > 0),
    UNIQUE (comparison_id, question),
    UNIQUE (comparison_id, position)
);
