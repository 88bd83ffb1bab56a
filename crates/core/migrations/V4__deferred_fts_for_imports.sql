-- Bulk imports index full text once, at the end, instead of row by row.
--
-- FTS5 writes what it has gathered to disk at the start of every statement
-- that runs in a statement transaction, which every row of an import is (it
-- has triggers and constraints): row by row, that is one small index
-- segment per row and endless merging. So while `glossary import` runs, its
-- transaction holds one row in `fts_deferred`, the insert and update
-- triggers below stand aside, and the import indexes the rows it inserted
-- and changed, a few statements per index, before it commits. Nobody else
-- ever sees the row (it is removed in the same transaction), so edits from
-- the CLI or the sqlite3 shell are indexed at once, as before.
--
-- Leave `fts_deferred` empty: `glossary check` reports a row in it (E112).

CREATE TABLE fts_deferred (
    started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

DROP TRIGGER senses_fts_insert;
CREATE TRIGGER senses_fts_insert AFTER INSERT ON senses
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO senses_fts (rowid, definition) VALUES (NEW.id, NEW.definition);
END;

DROP TRIGGER senses_fts_update;
CREATE TRIGGER senses_fts_update AFTER UPDATE OF definition ON senses
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO senses_fts (senses_fts, rowid, definition) VALUES ('delete', OLD.id, OLD.definition);
    INSERT INTO senses_fts (rowid, definition) VALUES (NEW.id, NEW.definition);
END;

DROP TRIGGER examples_fts_insert;
CREATE TRIGGER examples_fts_insert AFTER INSERT ON examples
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO examples_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

DROP TRIGGER examples_fts_update;
CREATE TRIGGER examples_fts_update AFTER UPDATE OF text ON examples
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO examples_fts (examples_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
    INSERT INTO examples_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

DROP TRIGGER comparisons_fts_insert;
CREATE TRIGGER comparisons_fts_insert AFTER INSERT ON comparisons
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO comparisons_fts (rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);
END;

DROP TRIGGER comparisons_fts_update;
CREATE TRIGGER comparisons_fts_update AFTER UPDATE OF title, summary ON comparisons
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO comparisons_fts (comparisons_fts, rowid, title, summary) VALUES ('delete', OLD.id, OLD.title, OLD.summary);
    INSERT INTO comparisons_fts (rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);
END;

DROP TRIGGER differences_fts_insert;
CREATE TRIGGER differences_fts_insert AFTER INSERT ON differences
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO differences_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

DROP TRIGGER differences_fts_update;
CREATE TRIGGER differences_fts_update AFTER UPDATE OF text ON differences
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO differences_fts (differences_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
    INSERT INTO differences_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

DROP TRIGGER comparison_rows_fts_insert;
CREATE TRIGGER comparison_rows_fts_insert AFTER INSERT ON comparison_rows
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO comparison_rows_fts (rowid, aspect, left_value, right_value) VALUES (NEW.id, NEW.aspect, NEW.left_value, NEW.right_value);
END;

DROP TRIGGER comparison_rows_fts_update;
CREATE TRIGGER comparison_rows_fts_update AFTER UPDATE OF aspect, left_value, right_value ON comparison_rows
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO comparison_rows_fts (comparison_rows_fts, rowid, aspect, left_value, right_value) VALUES ('delete', OLD.id, OLD.aspect, OLD.left_value, OLD.right_value);
    INSERT INTO comparison_rows_fts (rowid, aspect, left_value, right_value) VALUES (NEW.id, NEW.aspect, NEW.left_value, NEW.right_value);
END;

DROP TRIGGER faqs_fts_insert;
CREATE TRIGGER faqs_fts_insert AFTER INSERT ON faqs
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO faqs_fts (rowid, question, answer) VALUES (NEW.id, NEW.question, NEW.answer);
END;

DROP TRIGGER faqs_fts_update;
CREATE TRIGGER faqs_fts_update AFTER UPDATE OF question, answer ON faqs
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO faqs_fts (faqs_fts, rowid, question, answer) VALUES ('delete', OLD.id, OLD.question, OLD.answer);
    INSERT INTO faqs_fts (rowid, question, answer) VALUES (NEW.id, NEW.question, NEW.answer);
END;
