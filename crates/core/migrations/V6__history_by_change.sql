-- History by change: the unit of history is what a person did.
--
-- A change is one command (`add-faq`, `edit` with all its --set, `remove`
-- with its cascade, `import`, `revert`...), or one SQL statement typed in
-- the sqlite3 shell or DB Browser. It says when, who and what ran; the
-- row-level revisions the triggers record (V2) belong to it.
--
-- glossary opens every write by putting the next change id in
-- `current_change` (one row, inside the write transaction, removed before
-- it commits: nobody else ever sees it), and adds the row to `changes`
-- when the write ends, if it changed anything (so a command that changed
-- nothing leaves the file exactly as it was). A revision written while
-- there is no current change comes from someone else's SQL: it gets a
-- change of its own per statement, told apart by the statement's time
-- (SQLite's 'now' is the same throughout one statement; statements run in
-- the same millisecond share a change).

CREATE TABLE changes (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    author   TEXT NOT NULL,
    command  TEXT NOT NULL,
    source   TEXT NOT NULL CHECK (source IN ('glossary', 'sql', 'upgrade')),
    summary  TEXT,
    -- For a revert: the change it undid. A change and its revert cancel
    -- out, so they do not stand in the way of reverting an earlier one.
    reverts  INTEGER REFERENCES changes (id)
);
CREATE INDEX changes_by_source_time ON changes (source, at);
CREATE INDEX changes_by_author ON changes (author);

CREATE TABLE current_change (
    change_id  INTEGER NOT NULL,
    -- For a revert: the change it undoes, copied to changes.reverts.
    reverts    INTEGER,
    -- While glossary replays a change backwards (revert), the triggers that
    -- close gaps stand aside: the recorded moves are replayed instead.
    replaying  INTEGER NOT NULL DEFAULT 0 CHECK (replaying IN (0, 1))
);

-- Deferred: a write's change row is added when the write ends.
ALTER TABLE revisions ADD COLUMN change_id INTEGER
    REFERENCES changes (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX revisions_by_change ON revisions (change_id);

-- The rows an import added, per table: ids first_id to last_id (new rows
-- get the next ids, so an import's are one run per table). One row here
-- stands for what would be hundreds of thousands of revisions.
CREATE TABLE change_ranges (
    change_id   INTEGER NOT NULL REFERENCES changes (id) DEFERRABLE INITIALLY DEFERRED,
    table_name  TEXT NOT NULL CHECK (table_name IN ('terms', 'senses', 'examples',
                    'comparisons', 'differences', 'comparison_rows', 'faqs')),
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL CHECK (last_id >= first_id),
    PRIMARY KEY (change_id, table_name)
);
CREATE INDEX change_ranges_by_table ON change_ranges (table_name, first_id);

-- Revisions recorded before this version: one change per transaction time.
INSERT INTO changes (at, author, command, source)
SELECT DISTINCT changed_at, 'unknown', 'before history by change', 'upgrade'
FROM revisions ORDER BY changed_at;
UPDATE revisions SET change_id =
    (SELECT id FROM changes WHERE source = 'upgrade' AND at = revisions.changed_at);

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

DROP TRIGGER senses_close_gap;
CREATE TRIGGER senses_close_gap AFTER DELETE ON senses
WHEN EXISTS (SELECT 1 FROM terms WHERE id = OLD.term_id)
  AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
BEGIN
    UPDATE senses SET sense_number = sense_number + 1000000000
    WHERE term_id = OLD.term_id AND sense_number > OLD.sense_number AND sense_number < 1000000000;
    UPDATE senses SET sense_number = sense_number - 1000000001
    WHERE term_id = OLD.term_id AND sense_number > 1000000000 AND sense_number < 2000000000;
END;

DROP TRIGGER examples_close_gap;
CREATE TRIGGER examples_close_gap AFTER DELETE ON examples
WHEN EXISTS (SELECT 1 FROM senses WHERE id = OLD.sense_id)
  AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
BEGIN
    UPDATE examples SET position = position + 1000000000
    WHERE sense_id = OLD.sense_id AND position > OLD.position AND position < 1000000000;
    UPDATE examples SET position = position - 1000000001
    WHERE sense_id = OLD.sense_id AND position > 1000000000 AND position < 2000000000;
END;

DROP TRIGGER differences_close_gap;
CREATE TRIGGER differences_close_gap AFTER DELETE ON differences
WHEN EXISTS (SELECT 1 FROM comparisons WHERE id = OLD.comparison_id)
  AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
BEGIN
    UPDATE differences SET position = position + 1000000000
    WHERE comparison_id = OLD.comparison_id AND position > OLD.position AND position < 1000000000;
    UPDATE differences SET position = position - 1000000001
    WHERE comparison_id = OLD.comparison_id AND position > 1000000000 AND position < 2000000000;
END;

DROP TRIGGER comparison_rows_close_gap;
CREATE TRIGGER comparison_rows_close_gap AFTER DELETE ON comparison_rows
WHEN EXISTS (SELECT 1 FROM comparisons WHERE id = OLD.comparison_id)
  AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
BEGIN
    UPDATE comparison_rows SET position = position + 1000000000
    WHERE comparison_id = OLD.comparison_id AND position > OLD.position AND position < 1000000000;
    UPDATE comparison_rows SET position = position - 1000000001
    WHERE comparison_id = OLD.comparison_id AND position > 1000000000 AND position < 2000000000;
END;

DROP TRIGGER faqs_close_gap;
CREATE TRIGGER faqs_close_gap AFTER DELETE ON faqs
WHEN EXISTS (SELECT 1 FROM comparisons WHERE id = OLD.comparison_id)
  AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
BEGIN
    UPDATE faqs SET position = position + 1000000000
    WHERE comparison_id = OLD.comparison_id AND position > OLD.position AND position < 1000000000;
    UPDATE faqs SET position = position - 1000000001
    WHERE comparison_id = OLD.comparison_id AND position > 1000000000 AND position < 2000000000;
END;

-- The history triggers (V2) again, filing each revision under the current
-- change as they write it; a removal is recorded before the row goes
-- (BEFORE, not AFTER, DELETE), so it comes before the moves that close the
-- gap it leaves: the revisions of a change are in the order things
-- happened.
DROP TRIGGER terms_history_insert;
CREATE TRIGGER terms_history_insert AFTER INSERT ON terms
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'terms', NEW.id, 'insert');
END;

DROP TRIGGER terms_history_update;
CREATE TRIGGER terms_history_update AFTER UPDATE ON terms
WHEN (OLD.term, OLD.lookup_key, OLD.part_of_speech, OLD.note, OLD.status)
  IS NOT (NEW.term, NEW.lookup_key, NEW.part_of_speech, NEW.note, NEW.status)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'terms', NEW.id, 'update',
            json_object('term', OLD.term, 'lookup_key', OLD.lookup_key, 'part_of_speech', OLD.part_of_speech, 'note', OLD.note, 'status', OLD.status),
            json_object('term', NEW.term, 'lookup_key', NEW.lookup_key, 'part_of_speech', NEW.part_of_speech, 'note', NEW.note, 'status', NEW.status));
END;

DROP TRIGGER terms_history_delete;
CREATE TRIGGER terms_history_delete BEFORE DELETE ON terms
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'terms', OLD.id, 'delete', json_object('term', OLD.term, 'lookup_key', OLD.lookup_key, 'part_of_speech', OLD.part_of_speech, 'note', OLD.note, 'status', OLD.status, 'created_at', OLD.created_at));
END;

DROP TRIGGER senses_history_insert;
CREATE TRIGGER senses_history_insert AFTER INSERT ON senses
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'senses', NEW.id, 'insert');
END;

DROP TRIGGER senses_history_update;
CREATE TRIGGER senses_history_update AFTER UPDATE ON senses
WHEN NEW.sense_number < 1000000000
 AND (OLD.term_id, CASE WHEN OLD.sense_number >= 1000000000 THEN OLD.sense_number - 1000000000 ELSE OLD.sense_number END, OLD.domain, OLD.definition)
  IS NOT (NEW.term_id, NEW.sense_number, NEW.domain, NEW.definition)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'senses', NEW.id, 'update',
            json_object('term_id', OLD.term_id, 'sense_number', CASE WHEN OLD.sense_number >= 1000000000 THEN OLD.sense_number - 1000000000 ELSE OLD.sense_number END, 'domain', OLD.domain, 'definition', OLD.definition),
            json_object('term_id', NEW.term_id, 'sense_number', NEW.sense_number, 'domain', NEW.domain, 'definition', NEW.definition));
END;

DROP TRIGGER senses_history_delete;
CREATE TRIGGER senses_history_delete BEFORE DELETE ON senses
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'senses', OLD.id, 'delete', json_object('term_id', OLD.term_id, 'sense_number', OLD.sense_number, 'domain', OLD.domain, 'definition', OLD.definition));
END;

DROP TRIGGER examples_history_insert;
CREATE TRIGGER examples_history_insert AFTER INSERT ON examples
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'examples', NEW.id, 'insert');
END;

DROP TRIGGER examples_history_update;
CREATE TRIGGER examples_history_update AFTER UPDATE ON examples
WHEN NEW.position < 1000000000
 AND (OLD.sense_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.text)
  IS NOT (NEW.sense_id, NEW.position, NEW.text)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'examples', NEW.id, 'update',
            json_object('sense_id', OLD.sense_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'text', OLD.text),
            json_object('sense_id', NEW.sense_id, 'position', NEW.position, 'text', NEW.text));
END;

DROP TRIGGER examples_history_delete;
CREATE TRIGGER examples_history_delete BEFORE DELETE ON examples
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'examples', OLD.id, 'delete', json_object('sense_id', OLD.sense_id, 'position', OLD.position, 'text', OLD.text));
END;

DROP TRIGGER comparisons_history_insert;
CREATE TRIGGER comparisons_history_insert AFTER INSERT ON comparisons
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'comparisons', NEW.id, 'insert');
END;

DROP TRIGGER comparisons_history_update;
CREATE TRIGGER comparisons_history_update AFTER UPDATE ON comparisons
WHEN (OLD.slug, OLD.left_term_id, OLD.right_term_id, OLD.title, OLD.summary, OLD.published, OLD.status)
  IS NOT (NEW.slug, NEW.left_term_id, NEW.right_term_id, NEW.title, NEW.summary, NEW.published, NEW.status)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'comparisons', NEW.id, 'update',
            json_object('slug', OLD.slug, 'left_term_id', OLD.left_term_id, 'right_term_id', OLD.right_term_id, 'title', OLD.title, 'summary', OLD.summary, 'published', OLD.published, 'status', OLD.status),
            json_object('slug', NEW.slug, 'left_term_id', NEW.left_term_id, 'right_term_id', NEW.right_term_id, 'title', NEW.title, 'summary', NEW.summary, 'published', NEW.published, 'status', NEW.status));
END;

DROP TRIGGER comparisons_history_delete;
CREATE TRIGGER comparisons_history_delete BEFORE DELETE ON comparisons
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'comparisons', OLD.id, 'delete', json_object('slug', OLD.slug, 'left_term_id', OLD.left_term_id, 'right_term_id', OLD.right_term_id, 'title', OLD.title, 'summary', OLD.summary, 'published', OLD.published, 'status', OLD.status, 'created_at', OLD.created_at));
END;

DROP TRIGGER differences_history_insert;
CREATE TRIGGER differences_history_insert AFTER INSERT ON differences
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'differences', NEW.id, 'insert');
END;

DROP TRIGGER differences_history_update;
CREATE TRIGGER differences_history_update AFTER UPDATE ON differences
WHEN NEW.position < 1000000000
 AND (OLD.comparison_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.text)
  IS NOT (NEW.comparison_id, NEW.position, NEW.text)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'differences', NEW.id, 'update',
            json_object('comparison_id', OLD.comparison_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'text', OLD.text),
            json_object('comparison_id', NEW.comparison_id, 'position', NEW.position, 'text', NEW.text));
END;

DROP TRIGGER differences_history_delete;
CREATE TRIGGER differences_history_delete BEFORE DELETE ON differences
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'differences', OLD.id, 'delete', json_object('comparison_id', OLD.comparison_id, 'position', OLD.position, 'text', OLD.text));
END;

DROP TRIGGER comparison_rows_history_insert;
CREATE TRIGGER comparison_rows_history_insert AFTER INSERT ON comparison_rows
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'comparison_rows', NEW.id, 'insert');
END;

DROP TRIGGER comparison_rows_history_update;
CREATE TRIGGER comparison_rows_history_update AFTER UPDATE ON comparison_rows
WHEN NEW.position < 1000000000
 AND (OLD.comparison_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.aspect, OLD.left_value, OLD.right_value)
  IS NOT (NEW.comparison_id, NEW.position, NEW.aspect, NEW.left_value, NEW.right_value)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'comparison_rows', NEW.id, 'update',
            json_object('comparison_id', OLD.comparison_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'aspect', OLD.aspect, 'left_value', OLD.left_value, 'right_value', OLD.right_value),
            json_object('comparison_id', NEW.comparison_id, 'position', NEW.position, 'aspect', NEW.aspect, 'left_value', NEW.left_value, 'right_value', NEW.right_value));
END;

DROP TRIGGER comparison_rows_history_delete;
CREATE TRIGGER comparison_rows_history_delete BEFORE DELETE ON comparison_rows
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'comparison_rows', OLD.id, 'delete', json_object('comparison_id', OLD.comparison_id, 'position', OLD.position, 'aspect', OLD.aspect, 'left_value', OLD.left_value, 'right_value', OLD.right_value));
END;

DROP TRIGGER faqs_history_insert;
CREATE TRIGGER faqs_history_insert AFTER INSERT ON faqs
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'faqs', NEW.id, 'insert');
END;

DROP TRIGGER faqs_history_update;
CREATE TRIGGER faqs_history_update AFTER UPDATE ON faqs
WHEN NEW.position < 1000000000
 AND (OLD.comparison_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.question, OLD.answer)
  IS NOT (NEW.comparison_id, NEW.position, NEW.question, NEW.answer)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'faqs', NEW.id, 'update',
            json_object('comparison_id', OLD.comparison_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'question', OLD.question, 'answer', OLD.answer),
            json_object('comparison_id', NEW.comparison_id, 'position', NEW.position, 'question', NEW.question, 'answer', NEW.answer));
END;

DROP TRIGGER faqs_history_delete;
CREATE TRIGGER faqs_history_delete BEFORE DELETE ON faqs
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'faqs', OLD.id, 'delete', json_object('comparison_id', OLD.comparison_id, 'position', OLD.position, 'question', OLD.question, 'answer', OLD.answer));
END;
