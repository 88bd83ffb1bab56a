-- Pending versions: changes to a published comparison (with its key
-- differences, chart rows and FAQs) or term (with its senses and
-- examples) that readers do not see until a publisher publishes them.
-- The live rows stay as they are, so the page stays on the site; the
-- pending version is kept beside them as the edits that turn the live
-- entry into the new one, one JSON object per row touched:
--
--   {"kind": "faq", "id": 12, "label": "faq a-vs-b 3", "by": "ana",
--    "set": {"answer": {"base": "Often.", "value": "Often, yes.", "by": "ana"}}}
--       a live row's fields: `base` is the live value when the field was
--       first changed, so a live change made meanwhile (a publisher's
--       direct fix, an import, an UPDATE in this shell) is told apart
--       from the editor's: a field changed on one side only merges, on
--       both sides it is a conflict, shown and never overwritten.
--   {"kind": "faq", "id": -1, "parent": 7, "add": {"question": "…", "answer": "…"}, "position": 2, …}
--       a row the pending version adds: its id is negative (its key in
--       this version, never a live id); `parent` is the live row, or the
--       negative id of a row this version adds too (an example of a new
--       sense).
--   {"kind": "faq", "id": 13, "remove": true, …}      a live row it removes
--   {"kind": "faq", "id": 14, "position": 1, …}        where a row moves
--
-- `kind` is one of the registry's words (term, sense, example,
-- comparison, difference, row, faq); fields are named as `glossary edit`
-- names them. A status is never pending: publishing is live. Publishing
-- a pending version applies these edits as one change of the history,
-- through the same rules as `glossary edit`, and deletes the row.
--
-- The entry removed meanwhile: its pending version is kept (its id set
-- to NULL, `label` saying what it was) until someone discards it, since
-- it holds what someone typed; `glossary check` reports it.
CREATE TABLE pending_versions (
    id            INTEGER PRIMARY KEY,
    owner_kind    TEXT NOT NULL CHECK (owner_kind IN ('comparison', 'term')),
    comparison_id INTEGER UNIQUE REFERENCES comparisons (id) ON DELETE SET NULL,
    term_id       INTEGER UNIQUE REFERENCES terms (id) ON DELETE SET NULL,
    -- The entry as named when last saved: `comparison a-vs-b`, `term "EP"`.
    label         TEXT NOT NULL CHECK (length(trim(label)) > 0),
    edits         TEXT NOT NULL CHECK (json_valid(edits) AND json_type(edits) = 'array'),
    started_by    TEXT NOT NULL CHECK (length(trim(started_by)) > 0),
    started_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by    TEXT NOT NULL CHECK (length(trim(updated_by)) > 0),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- Counts the saves: an approval names the one the publisher was shown.
    revision      INTEGER NOT NULL DEFAULT 1 CHECK (revision > 0),
    CHECK (comparison_id IS NULL OR term_id IS NULL),
    CHECK (comparison_id IS NULL OR owner_kind = 'comparison'),
    CHECK (term_id IS NULL OR owner_kind = 'term')
);

-- Every edit names a kind of the owner's tree and a row, whoever writes.
CREATE TRIGGER pending_versions_edits_are_rows BEFORE INSERT ON pending_versions
WHEN EXISTS (
    SELECT 1 FROM json_each(NEW.edits) AS e
    WHERE e.type <> 'object'
       OR json_extract(e.value, '$.kind') NOT IN
          (CASE NEW.owner_kind WHEN 'comparison' THEN 'comparison' ELSE 'term' END,
           CASE NEW.owner_kind WHEN 'comparison' THEN 'difference' ELSE 'sense' END,
           CASE NEW.owner_kind WHEN 'comparison' THEN 'row' ELSE 'example' END,
           CASE NEW.owner_kind WHEN 'comparison' THEN 'faq' ELSE 'example' END)
       OR json_type(e.value, '$.id') IS NOT 'integer'
       OR json_extract(e.value, '$.id') = 0)
BEGIN
    SELECT RAISE(ABORT, 'pending_versions.edits: each edit is an object with the kind of a row of its entry and a nonzero integer id');
END;

CREATE TRIGGER pending_versions_edits_stay_rows BEFORE UPDATE OF edits, owner_kind ON pending_versions
WHEN EXISTS (
    SELECT 1 FROM json_each(NEW.edits) AS e
    WHERE e.type <> 'object'
       OR json_extract(e.value, '$.kind') NOT IN
          (CASE NEW.owner_kind WHEN 'comparison' THEN 'comparison' ELSE 'term' END,
           CASE NEW.owner_kind WHEN 'comparison' THEN 'difference' ELSE 'sense' END,
           CASE NEW.owner_kind WHEN 'comparison' THEN 'row' ELSE 'example' END,
           CASE NEW.owner_kind WHEN 'comparison' THEN 'faq' ELSE 'example' END)
       OR json_type(e.value, '$.id') IS NOT 'integer'
       OR json_extract(e.value, '$.id') = 0)
BEGIN
    SELECT RAISE(ABORT, 'pending_versions.edits: each edit is an object with the kind of a row of its entry and a nonzero integer id');
END;

-- Only what readers see has a pending version: a draft is edited as it is.
CREATE TRIGGER pending_versions_are_of_published_entries BEFORE INSERT ON pending_versions
WHEN coalesce((SELECT status FROM comparisons WHERE id = NEW.comparison_id),
              (SELECT status FROM terms WHERE id = NEW.term_id), 'published') <> 'published'
BEGIN
    SELECT RAISE(ABORT, 'pending_versions: only a published entry has a pending version (edit a draft as it is)');
END;

-- A change that published a pending version names who wrote it (the
-- change itself is filed under the publisher): `ana, ben`.
ALTER TABLE changes ADD COLUMN written_by TEXT;
ALTER TABLE current_change ADD COLUMN written_by TEXT;

-- Review: a published entry is reviewed through its pending version
-- (V11 let only drafts be put up), and publishing or discarding the
-- version ends its review, however it is done.
DROP TRIGGER reviews_only_drafts;
CREATE TRIGGER reviews_only_drafts BEFORE INSERT ON reviews
WHEN coalesce((SELECT status FROM comparisons WHERE id = NEW.comparison_id),
              (SELECT status FROM terms WHERE id = NEW.term_id)) IS NOT 'draft'
  AND NOT EXISTS (SELECT 1 FROM pending_versions
                  WHERE comparison_id = NEW.comparison_id OR term_id = NEW.term_id)
BEGIN
    SELECT RAISE(ABORT, 'only a draft can be put up for review, or a published entry''s pending version');
END;

CREATE TRIGGER pending_versions_delete_ends_review AFTER DELETE ON pending_versions
BEGIN
    DELETE FROM reviews
    WHERE (comparison_id = OLD.comparison_id OR term_id = OLD.term_id)
      AND coalesce((SELECT status FROM comparisons WHERE id = OLD.comparison_id),
                   (SELECT status FROM terms WHERE id = OLD.term_id)) = 'published';
END;
