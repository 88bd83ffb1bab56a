-- A pending version can go live at a time too: `glossary pending publish
-- KIND KEY --at TIME` plans the action `publish-pending`, which names the
-- revision of the version the publisher planned (pending_versions.revision).
-- `publish-due` publishes that revision only: a version saved again after
-- it was planned is not published unseen; the plan stays, with the reason,
-- until someone plans it again or cancels it. Publishing or discarding the
-- version, however it is done, ends its plan (a trigger).
--
-- SQLite cannot change a CHECK in place, so the table is made again, its
-- rows and index as they were (no trigger or view names it).
CREATE TABLE schedules_v17 (
    id            INTEGER PRIMARY KEY,
    comparison_id INTEGER UNIQUE REFERENCES comparisons (id) ON DELETE CASCADE,
    term_id       INTEGER UNIQUE REFERENCES terms (id) ON DELETE CASCADE,
    action        TEXT NOT NULL CHECK (action IN ('publish', 'unpublish', 'publish-pending')),
    -- publish --with-terms, unpublish --with-comparisons.
    with_related  INTEGER NOT NULL DEFAULT 0 CHECK (with_related IN (0, 1)),
    -- publish --force.
    force         INTEGER NOT NULL DEFAULT 0 CHECK (force IN (0, 1)),
    -- When, in UTC: 2027-01-05T08:00:00Z, a real time.
    due_at        TEXT NOT NULL
                  CHECK (due_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
                         AND strftime('%Y-%m-%dT%H:%M:%SZ', due_at) IS due_at),
    requested_by  TEXT NOT NULL CHECK (length(trim(requested_by)) > 0),
    requested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- The last run that could not do it, and why.
    failed_at     TEXT,
    failure       TEXT,
    -- publish-pending: the revision of the pending version planned.
    pending_revision INTEGER CHECK (pending_revision > 0),
    CHECK ((comparison_id IS NULL) <> (term_id IS NULL)),
    CHECK ((failed_at IS NULL) = (failure IS NULL)),
    CHECK ((action = 'publish-pending') = (pending_revision IS NOT NULL))
);
INSERT INTO schedules_v17
    (id, comparison_id, term_id, action, with_related, force, due_at,
     requested_by, requested_at, failed_at, failure)
SELECT id, comparison_id, term_id, action, with_related, force, due_at,
       requested_by, requested_at, failed_at, failure
FROM schedules;
DROP TABLE schedules;
ALTER TABLE schedules_v17 RENAME TO schedules;
CREATE INDEX schedules_by_due ON schedules (due_at);

-- Only an entry with a pending version can plan to publish it.
CREATE TRIGGER schedules_pending_needs_a_version BEFORE INSERT ON schedules
WHEN NEW.action = 'publish-pending'
  AND NOT EXISTS (SELECT 1 FROM pending_versions
                  WHERE comparison_id = NEW.comparison_id OR term_id = NEW.term_id)
BEGIN
    SELECT RAISE(ABORT, 'schedules: publish-pending needs a pending version of the entry');
END;

CREATE TRIGGER schedules_pending_keeps_a_version BEFORE UPDATE OF action ON schedules
WHEN NEW.action = 'publish-pending'
  AND NOT EXISTS (SELECT 1 FROM pending_versions
                  WHERE comparison_id = NEW.comparison_id OR term_id = NEW.term_id)
BEGIN
    SELECT RAISE(ABORT, 'schedules: publish-pending needs a pending version of the entry');
END;

CREATE TRIGGER pending_versions_delete_ends_schedule AFTER DELETE ON pending_versions
BEGIN
    DELETE FROM schedules
    WHERE action = 'publish-pending'
      AND (comparison_id = OLD.comparison_id OR term_id = OLD.term_id);
END;
