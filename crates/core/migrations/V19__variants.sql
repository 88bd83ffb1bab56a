-- Variants of a term: other ways of writing it that mean it, found and
-- linked as the term is ("EP" and "E.P." for Executive Producer,
-- "producers" for Producer).
--
-- A variant's lookup key is folded as a term's is (case and accents), and
-- it is unique across terms and variants both: `glossary query --term EP`
-- finds one term, and a page's "EP" links to one page. The UNIQUE below
-- keeps variants apart; triggers keep a variant from taking a term's key
-- and a term from taking a variant's, whoever writes (glossary, the web,
-- this shell).
--
-- The history records variants as it records senses (V2, V6), and undo
-- puts them back. Because a new kind of content needs its table named in
-- the history, the list of content tables `revisions` and `change_ranges`
-- accept moves from a CHECK (which SQLite cannot change without making the
-- table again) to triggers, which the next kind can replace in place.

CREATE TABLE variants (
    id          INTEGER PRIMARY KEY,
    term_id     INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    -- Its place among the term's variants (1, 2, ...), as the term's page lists them.
    position    INTEGER NOT NULL CHECK (typeof(position) = 'integer' AND position > 0),
    -- As displayed: "EP", "producers".
    variant     TEXT NOT NULL CHECK (length(trim(variant)) > 0 AND variant = trim(variant)),
    -- Folded as terms.lookup_key is; glossary computes it with full Unicode
    -- case folding, and a row inserted by hand without it gets lower(variant).
    lookup_key  TEXT UNIQUE CHECK (lookup_key IS NULL OR length(lookup_key) > 0),
    -- plural (producers), abbreviation (EP), spelling (color / colour) or
    -- form (any other inflection or form: produced, producing).
    type        TEXT NOT NULL CHECK (type IN ('plural', 'abbreviation', 'spelling', 'form')),
    UNIQUE (term_id, position)
);

CREATE TRIGGER variants_fill_lookup_key AFTER INSERT ON variants
WHEN NEW.lookup_key IS NULL
BEGIN
    UPDATE variants SET lookup_key = lower(NEW.variant) WHERE id = NEW.id;
END;

CREATE TRIGGER variants_follow_lookup_key AFTER UPDATE OF variant ON variants
WHEN NEW.lookup_key IS OLD.lookup_key
 AND lower(NEW.variant) <> lower(OLD.variant)
 AND NEW.variant NOT GLOB '*[^ -~]*'
BEGIN
    UPDATE variants SET lookup_key = lower(NEW.variant) WHERE id = NEW.id;
END;

CREATE TRIGGER variants_lookup_key_not_null BEFORE UPDATE OF lookup_key ON variants
WHEN NEW.lookup_key IS NULL
BEGIN
    SELECT RAISE(ABORT, 'variants.lookup_key cannot be NULL');
END;

-- One key, one term: a variant cannot be written as a term is.
CREATE TRIGGER variants_key_is_not_a_term BEFORE INSERT ON variants
WHEN EXISTS (SELECT 1 FROM terms WHERE lookup_key = coalesce(NEW.lookup_key, lower(NEW.variant)))
BEGIN
    SELECT RAISE(ABORT, 'variants.lookup_key: a term is written so (a variant cannot have a term''s name)');
END;

CREATE TRIGGER variants_key_stays_not_a_term BEFORE UPDATE OF lookup_key ON variants
WHEN EXISTS (SELECT 1 FROM terms WHERE lookup_key = NEW.lookup_key)
BEGIN
    SELECT RAISE(ABORT, 'variants.lookup_key: a term is written so (a variant cannot have a term''s name)');
END;

CREATE TRIGGER terms_key_is_not_a_variant BEFORE INSERT ON terms
WHEN EXISTS (SELECT 1 FROM variants WHERE lookup_key = coalesce(NEW.lookup_key, lower(NEW.term)))
BEGIN
    SELECT RAISE(ABORT, 'terms.lookup_key: a variant of another term is written so (remove the variant first)');
END;

-- A term renamed to one of its own variants ("Producer" to "Producers")
-- takes the name over: the variant goes, in the same change (a revert
-- brings it back). Another term's variant is refused.
CREATE TRIGGER terms_key_stays_not_a_variant BEFORE UPDATE OF lookup_key ON terms
WHEN EXISTS (SELECT 1 FROM variants WHERE lookup_key = NEW.lookup_key)
BEGIN
    SELECT RAISE(ABORT, 'terms.lookup_key: a variant of another term is written so (remove the variant first)')
    WHERE EXISTS (SELECT 1 FROM variants WHERE lookup_key = NEW.lookup_key AND term_id <> NEW.id);
    DELETE FROM variants WHERE lookup_key = NEW.lookup_key AND term_id = NEW.id;
END;

-- Positions stay 1..n when one goes (as V6 does for the other lists).
CREATE TRIGGER variants_close_gap AFTER DELETE ON variants
WHEN EXISTS (SELECT 1 FROM terms WHERE id = OLD.term_id)
  AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
BEGIN
    UPDATE variants SET position = position + 1000000000
    WHERE term_id = OLD.term_id AND position > OLD.position AND position < 1000000000;
    UPDATE variants SET position = position - 1000000001
    WHERE term_id = OLD.term_id AND position > 1000000000 AND position < 2000000000;
END;

-- A variant is part of its term's page: changing one touches the term
-- (V13), so the site rebuilds the page.
CREATE TRIGGER variants_touch_terms_on_insert AFTER INSERT ON variants
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.term_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

CREATE TRIGGER variants_touch_terms_on_update AFTER UPDATE ON variants
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id IN (OLD.term_id, NEW.term_id) AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

CREATE TRIGGER variants_touch_terms_on_delete AFTER DELETE ON variants
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.term_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

-- History (as V6 records the other kinds).
CREATE TRIGGER variants_history_insert AFTER INSERT ON variants
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'variants', NEW.id, 'insert');
END;

CREATE TRIGGER variants_history_update AFTER UPDATE ON variants
WHEN NEW.position < 1000000000
 AND (OLD.term_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.variant, OLD.lookup_key, OLD.type)
  IS NOT (NEW.term_id, NEW.position, NEW.variant, NEW.lookup_key, NEW.type)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'variants', NEW.id, 'update',
            json_object('term_id', OLD.term_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'variant', OLD.variant, 'lookup_key', OLD.lookup_key, 'type', OLD.type),
            json_object('term_id', NEW.term_id, 'position', NEW.position, 'variant', NEW.variant, 'lookup_key', NEW.lookup_key, 'type', NEW.type));
END;

CREATE TRIGGER variants_history_delete BEFORE DELETE ON variants
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'variants', OLD.id, 'delete', json_object('term_id', OLD.term_id, 'position', OLD.position, 'variant', OLD.variant, 'lookup_key', OLD.lookup_key, 'type', OLD.type));
END;

-- The history's tables, made again without the CHECK on table_name (rows,
-- indexes and trigger as they were). The triggers of the content tables
-- name `revisions`; SQLite's legacy rename leaves them be while the new
-- table takes the name.
PRAGMA legacy_alter_table = ON;

CREATE TABLE revisions_v19 (
    id          INTEGER PRIMARY KEY,
    changed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- One of the content tables (see revisions_name_content below).
    table_name  TEXT NOT NULL,
    row_id      INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_values  TEXT CHECK (old_values IS NULL OR json_valid(old_values)),
    new_values  TEXT CHECK (new_values IS NULL OR json_valid(new_values)),
    change_id   INTEGER REFERENCES changes (id) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO revisions_v19 (id, changed_at, table_name, row_id, action, old_values, new_values, change_id)
SELECT id, changed_at, table_name, row_id, action, old_values, new_values, change_id FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_v19 RENAME TO revisions;
CREATE INDEX revisions_by_row ON revisions (table_name, row_id);
CREATE INDEX revisions_by_change ON revisions (change_id);
CREATE INDEX revisions_by_parent ON revisions (
    table_name,
    coalesce(json_extract(old_values, '$.comparison_id'), json_extract(new_values, '$.comparison_id'),
             json_extract(old_values, '$.term_id'), json_extract(new_values, '$.term_id')));

CREATE TRIGGER revisions_in_a_change AFTER INSERT ON revisions
WHEN NEW.change_id IS NULL
BEGIN
    INSERT INTO changes (at, author, command, source)
    SELECT NEW.changed_at, 'sqlite3', 'direct SQL edit', 'sql'
    WHERE NOT EXISTS (SELECT 1 FROM current_change)
      AND NOT EXISTS (SELECT 1 FROM changes WHERE source = 'sql' AND at = NEW.changed_at);
    UPDATE revisions SET change_id = coalesce(
        (SELECT change_id FROM current_change),
        (SELECT max(id) FROM changes WHERE source = 'sql' AND at = NEW.changed_at))
    WHERE id = NEW.id;
END;

CREATE TABLE change_ranges_v19 (
    change_id   INTEGER NOT NULL REFERENCES changes (id) DEFERRABLE INITIALLY DEFERRED,
    -- One of the content tables (see change_ranges_name_content below).
    table_name  TEXT NOT NULL,
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL CHECK (last_id >= first_id),
    PRIMARY KEY (change_id, table_name)
);
INSERT INTO change_ranges_v19 (change_id, table_name, first_id, last_id)
SELECT change_id, table_name, first_id, last_id FROM change_ranges;
DROP TABLE change_ranges;
ALTER TABLE change_ranges_v19 RENAME TO change_ranges;
CREATE INDEX change_ranges_by_table ON change_ranges (table_name, first_id);

PRAGMA legacy_alter_table = OFF;

-- The content tables the history records: the next kind of content
-- replaces these two triggers.
CREATE TRIGGER revisions_name_content BEFORE INSERT ON revisions
WHEN NEW.table_name NOT IN ('terms', 'senses', 'examples', 'variants',
                            'comparisons', 'differences', 'comparison_rows', 'faqs')
BEGIN
    SELECT RAISE(ABORT, 'revisions.table_name: not a content table');
END;

CREATE TRIGGER change_ranges_name_content BEFORE INSERT ON change_ranges
WHEN NEW.table_name NOT IN ('terms', 'senses', 'examples', 'variants',
                            'comparisons', 'differences', 'comparison_rows', 'faqs')
BEGIN
    SELECT RAISE(ABORT, 'change_ranges.table_name: not a content table');
END;
