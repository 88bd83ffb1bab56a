-- A term can stay out of the site's auto-links: `autolink` 0 means its
-- mentions in other pages' text are left as text (a common word that is
-- also a term, "form", "set"). Its own page and the links glossary makes
-- by name (an article's terms, relations) are unchanged.
ALTER TABLE terms ADD COLUMN autolink INTEGER NOT NULL DEFAULT 1 CHECK (autolink IN (0, 1));

-- The history records it with the rest of the term (V6), so undo puts it
-- back; revisions written before this version lack it, and a revert of
-- them leaves it as it is.
DROP TRIGGER terms_history_update;
CREATE TRIGGER terms_history_update AFTER UPDATE ON terms
WHEN (OLD.term, OLD.lookup_key, OLD.part_of_speech, OLD.note, OLD.status, OLD.autolink)
  IS NOT (NEW.term, NEW.lookup_key, NEW.part_of_speech, NEW.note, NEW.status, NEW.autolink)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'terms', NEW.id, 'update',
            json_object('term', OLD.term, 'lookup_key', OLD.lookup_key, 'part_of_speech', OLD.part_of_speech, 'note', OLD.note, 'status', OLD.status, 'autolink', OLD.autolink),
            json_object('term', NEW.term, 'lookup_key', NEW.lookup_key, 'part_of_speech', NEW.part_of_speech, 'note', NEW.note, 'status', NEW.status, 'autolink', NEW.autolink));
END;

DROP TRIGGER terms_history_delete;
CREATE TRIGGER terms_history_delete BEFORE DELETE ON terms
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'terms', OLD.id, 'delete', json_object('term', OLD.term, 'lookup_key', OLD.lookup_key, 'part_of_speech', OLD.part_of_speech, 'note', OLD.note, 'status', OLD.status, 'autolink', OLD.autolink, 'created_at', OLD.created_at));
END;
