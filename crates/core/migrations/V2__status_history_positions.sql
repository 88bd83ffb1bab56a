-- Editing support: publication status, revision history, positions kept
-- dense on delete, and parents' updated_at following their content.
--
-- Everything here is done by triggers, so it holds for changes made with the
-- sqlite3 shell or DB Browser as much as for glossary's own commands.

-- Draft or published. New entries start as drafts; entries that existed
-- before this migration were live content, so they are published.
ALTER TABLE terms ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published'));
ALTER TABLE comparisons ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published'));
UPDATE terms SET status = 'published';
UPDATE comparisons SET status = 'published';

-- Every change to content, newest last. An insert records only the row it
-- made (its values are the row's, or the next update's old values); an
-- update records the row's content before and after; a delete records the
-- row as it was, so `glossary revert` can bring it back.
--
-- Positions from 1,000,000,000 up are transient: a row is moved there for
-- the length of a statement or an import while the others shift (each
-- position is unique), and stands for its position minus 1,000,000,000.
-- Moves into that range are not recorded; moves out of it are recorded
-- from the position the row had before.
CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    changed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    table_name  TEXT NOT NULL CHECK (table_name IN ('terms', 'senses', 'examples',
                    'comparisons', 'differences', 'comparison_rows', 'faqs')),
    row_id      INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_values  TEXT CHECK (old_values IS NULL OR json_valid(old_values)),
    new_values  TEXT CHECK (new_values IS NULL OR json_valid(new_values))
);

CREATE INDEX revisions_by_row ON revisions (table_name, row_id);

CREATE TRIGGER terms_history_insert AFTER INSERT ON terms
BEGIN
    INSERT INTO revisions (table_name, row_id, action) VALUES ('terms', NEW.id, 'insert');
END;

CREATE TRIGGER terms_history_update AFTER UPDATE ON terms
WHEN (OLD.term, OLD.lookup_key, OLD.part_of_speech, OLD.note, OLD.status)
  IS NOT (NEW.term, NEW.lookup_key, NEW.part_of_speech, NEW.note, NEW.status)
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values, new_values)
    VALUES ('terms', NEW.id, 'update',
            json_object('term', OLD.term, 'lookup_key', OLD.lookup_key, 'part_of_speech', OLD.part_of_speech, 'note', OLD.note, 'status', OLD.status),
            json_object('term', NEW.term, 'lookup_key', NEW.lookup_key, 'part_of_speech', NEW.part_of_speech, 'note', NEW.note, 'status', NEW.status));
END;

CREATE TRIGGER terms_history_delete AFTER DELETE ON terms
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values)
    VALUES ('terms', OLD.id, 'delete', json_object('term', OLD.term, 'lookup_key', OLD.lookup_key, 'part_of_speech', OLD.part_of_speech, 'note', OLD.note, 'status', OLD.status, 'created_at', OLD.created_at));
END;

CREATE TRIGGER senses_history_insert AFTER INSERT ON senses
BEGIN
    INSERT INTO revisions (table_name, row_id, action) VALUES ('senses', NEW.id, 'insert');
END;

CREATE TRIGGER senses_history_update AFTER UPDATE ON senses
WHEN NEW.sense_number < 1000000000
 AND (OLD.term_id, CASE WHEN OLD.sense_number >= 1000000000 THEN OLD.sense_number - 1000000000 ELSE OLD.sense_number END, OLD.domain, OLD.definition)
  IS NOT (NEW.term_id, NEW.sense_number, NEW.domain, NEW.definition)
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values, new_values)
    VALUES ('senses', NEW.id, 'update',
            json_object('term_id', OLD.term_id, 'sense_number', CASE WHEN OLD.sense_number >= 1000000000 THEN OLD.sense_number - 1000000000 ELSE OLD.sense_number END, 'domain', OLD.domain, 'definition', OLD.definition),
            json_object('term_id', NEW.term_id, 'sense_number', NEW.sense_number, 'domain', NEW.domain, 'definition', NEW.definition));
END;

CREATE TRIGGER senses_history_delete AFTER DELETE ON senses
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values)
    VALUES ('senses', OLD.id, 'delete', json_object('term_id', OLD.term_id, 'sense_number', OLD.sense_number, 'domain', OLD.domain, 'definition', OLD.definition));
END;

CREATE TRIGGER examples_history_insert AFTER INSERT ON examples
BEGIN
    INSERT INTO revisions (table_name, row_id, action) VALUES ('examples', NEW.id, 'insert');
END;

CREATE TRIGGER examples_history_update AFTER UPDATE ON examples
WHEN NEW.position < 1000000000
 AND (OLD.sense_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.text)
  IS NOT (NEW.sense_id, NEW.position, NEW.text)
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values, new_values)
    VALUES ('examples', NEW.id, 'update',
            json_object('sense_id', OLD.sense_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'text', OLD.text),
            json_object('sense_id', NEW.sense_id, 'position', NEW.position, 'text', NEW.text));
END;

CREATE TRIGGER examples_history_delete AFTER DELETE ON examples
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values)
    VALUES ('examples', OLD.id, 'delete', json_object('sense_id', OLD.sense_id, 'position', OLD.position, 'text', OLD.text));
END;

CREATE TRIGGER comparisons_history_insert AFTER INSERT ON comparisons
BEGIN
    INSERT INTO revisions (table_name, row_id, action) VALUES ('comparisons', NEW.id, 'insert');
END;

CREATE TRIGGER comparisons_history_update AFTER UPDATE ON comparisons
WHEN (OLD.slug, OLD.left_term_id, OLD.right_term_id, OLD.title, OLD.summary, OLD.published, OLD.status)
  IS NOT (NEW.slug, NEW.left_term_id, NEW.right_term_id, NEW.title, NEW.summary, NEW.published, NEW.status)
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values, new_values)
    VALUES ('comparisons', NEW.id, 'update',
            json_object('slug', OLD.slug, 'left_term_id', OLD.left_term_id, 'right_term_id', OLD.right_term_id, 'title', OLD.title, 'summary', OLD.summary, 'published', OLD.published, 'status', OLD.status),
            json_object('slug', NEW.slug, 'left_term_id', NEW.left_term_id, 'right_term_id', NEW.right_term_id, 'title', NEW.title, 'summary', NEW.summary, 'published', NEW.published, 'status', NEW.status));
END;

CREATE TRIGGER comparisons_history_delete AFTER DELETE ON comparisons
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values)
    VALUES ('comparisons', OLD.id, 'delete', json_object('slug', OLD.slug, 'left_term_id', OLD.left_term_id, 'right_term_id', OLD.right_term_id, 'title', OLD.title, 'summary', OLD.summary, 'published', OLD.published, 'status', OLD.status, 'created_at', OLD.created_at));
END;

CREATE TRIGGER differences_history_insert AFTER INSERT ON differences
BEGIN
    INSERT INTO revisions (table_name, row_id, action) VALUES ('differences', NEW.id, 'insert');
END;

CREATE TRIGGER differences_history_update AFTER UPDATE ON differences
WHEN NEW.position < 1000000000
 AND (OLD.comparison_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.text)
  IS NOT (NEW.comparison_id, NEW.position, NEW.text)
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values, new_values)
    VALUES ('differences', NEW.id, 'update',
            json_object('comparison_id', OLD.comparison_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'text', OLD.text),
            json_object('comparison_id', NEW.comparison_id, 'position', NEW.position, 'text', NEW.text));
END;

CREATE TRIGGER differences_history_delete AFTER DELETE ON differences
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values)
    VALUES ('differences', OLD.id, 'delete', json_object('comparison_id', OLD.comparison_id, 'position', OLD.position, 'text', OLD.text));
END;

CREATE TRIGGER comparison_rows_history_insert AFTER INSERT ON comparison_rows
BEGIN
    INSERT INTO revisions (table_name, row_id, action) VALUES ('comparison_rows', NEW.id, 'insert');
END;

CREATE TRIGGER comparison_rows_history_update AFTER UPDATE ON comparison_rows
WHEN NEW.position < 1000000000
 AND (OLD.comparison_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.aspect, OLD.left_value, OLD.right_value)
  IS NOT (NEW.comparison_id, NEW.position, NEW.aspect, NEW.left_value, NEW.right_value)
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values, new_values)
    VALUES ('comparison_rows', NEW.id, 'update',
            json_object('comparison_id', OLD.comparison_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'aspect', OLD.aspect, 'left_value', OLD.left_value, 'right_value', OLD.right_value),
            json_object('comparison_id', NEW.comparison_id, 'position', NEW.position, 'aspect', NEW.aspect, 'left_value', NEW.left_value, 'right_value', NEW.right_value));
END;

CREATE TRIGGER comparison_rows_history_delete AFTER DELETE ON comparison_rows
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values)
    VALUES ('comparison_rows', OLD.id, 'delete', json_object('comparison_id', OLD.comparison_id, 'position', OLD.position, 'aspect', OLD.aspect, 'left_value', OLD.left_value, 'right_value', OLD.right_value));
END;

CREATE TRIGGER faqs_history_insert AFTER INSERT ON faqs
BEGIN
    INSERT INTO revisions (table_name, row_id, action) VALUES ('faqs', NEW.id, 'insert');
END;

CREATE TRIGGER faqs_history_update AFTER UPDATE ON faqs
WHEN NEW.position < 1000000000
 AND (OLD.comparison_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, OLD.question, OLD.answer)
  IS NOT (NEW.comparison_id, NEW.position, NEW.question, NEW.answer)
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values, new_values)
    VALUES ('faqs', NEW.id, 'update',
            json_object('comparison_id', OLD.comparison_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END, 'question', OLD.question, 'answer', OLD.answer),
            json_object('comparison_id', NEW.comparison_id, 'position', NEW.position, 'question', NEW.question, 'answer', NEW.answer));
END;

CREATE TRIGGER faqs_history_delete AFTER DELETE ON faqs
BEGIN
    INSERT INTO revisions (table_name, row_id, action, old_values)
    VALUES ('faqs', OLD.id, 'delete', json_object('comparison_id', OLD.comparison_id, 'position', OLD.position, 'question', OLD.question, 'answer', OLD.answer));
END;

-- Deleting an entry closes the gap it leaves: the entries after it move up
-- one place. Done in two steps through a range no real position uses
-- (1e9..2e9), since each position is unique within its parent. Skipped when
-- the parent itself is being deleted.
CREATE TRIGGER senses_close_gap AFTER DELETE ON senses
WHEN EXISTS (SELECT 1 FROM terms WHERE id = OLD.term_id)
BEGIN
    UPDATE senses SET sense_number = sense_number + 1000000000
    WHERE term_id = OLD.term_id AND sense_number > OLD.sense_number AND sense_number < 1000000000;
    UPDATE senses SET sense_number = sense_number - 1000000001
    WHERE term_id = OLD.term_id AND sense_number > 1000000000 AND sense_number < 2000000000;
END;
CREATE TRIGGER examples_close_gap AFTER DELETE ON examples
WHEN EXISTS (SELECT 1 FROM senses WHERE id = OLD.sense_id)
BEGIN
    UPDATE examples SET position = position + 1000000000
    WHERE sense_id = OLD.sense_id AND position > OLD.position AND position < 1000000000;
    UPDATE examples SET position = position - 1000000001
    WHERE sense_id = OLD.sense_id AND position > 1000000000 AND position < 2000000000;
END;
CREATE TRIGGER differences_close_gap AFTER DELETE ON differences
WHEN EXISTS (SELECT 1 FROM comparisons WHERE id = OLD.comparison_id)
BEGIN
    UPDATE differences SET position = position + 1000000000
    WHERE comparison_id = OLD.comparison_id AND position > OLD.position AND position < 1000000000;
    UPDATE differences SET position = position - 1000000001
    WHERE comparison_id = OLD.comparison_id AND position > 1000000000 AND position < 2000000000;
END;
CREATE TRIGGER comparison_rows_close_gap AFTER DELETE ON comparison_rows
WHEN EXISTS (SELECT 1 FROM comparisons WHERE id = OLD.comparison_id)
BEGIN
    UPDATE comparison_rows SET position = position + 1000000000
    WHERE comparison_id = OLD.comparison_id AND position > OLD.position AND position < 1000000000;
    UPDATE comparison_rows SET position = position - 1000000001
    WHERE comparison_id = OLD.comparison_id AND position > 1000000000 AND position < 2000000000;
END;
CREATE TRIGGER faqs_close_gap AFTER DELETE ON faqs
WHEN EXISTS (SELECT 1 FROM comparisons WHERE id = OLD.comparison_id)
BEGIN
    UPDATE faqs SET position = position + 1000000000
    WHERE comparison_id = OLD.comparison_id AND position > OLD.position AND position < 1000000000;
    UPDATE faqs SET position = position - 1000000001
    WHERE comparison_id = OLD.comparison_id AND position > 1000000000 AND position < 2000000000;
END;

-- A change to an article's paragraphs, chart or FAQs is a change to the
-- article: its updated_at follows. Likewise a term's senses and examples.
CREATE TRIGGER differences_touch_comparisons_on_insert AFTER INSERT ON differences
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER differences_touch_comparisons_on_update AFTER UPDATE ON differences
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER differences_touch_comparisons_on_delete AFTER DELETE ON differences
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER comparison_rows_touch_comparisons_on_insert AFTER INSERT ON comparison_rows
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER comparison_rows_touch_comparisons_on_update AFTER UPDATE ON comparison_rows
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER comparison_rows_touch_comparisons_on_delete AFTER DELETE ON comparison_rows
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER faqs_touch_comparisons_on_insert AFTER INSERT ON faqs
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER faqs_touch_comparisons_on_update AFTER UPDATE ON faqs
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER faqs_touch_comparisons_on_delete AFTER DELETE ON faqs
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER senses_touch_terms_on_insert AFTER INSERT ON senses
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.term_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER senses_touch_terms_on_update AFTER UPDATE ON senses
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.term_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER senses_touch_terms_on_delete AFTER DELETE ON senses
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.term_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER examples_touch_terms_on_insert AFTER INSERT ON examples
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = (SELECT term_id FROM senses WHERE id = NEW.sense_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER examples_touch_terms_on_update AFTER UPDATE ON examples
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = (SELECT term_id FROM senses WHERE id = NEW.sense_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
CREATE TRIGGER examples_touch_terms_on_delete AFTER DELETE ON examples
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = (SELECT term_id FROM senses WHERE id = OLD.sense_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
