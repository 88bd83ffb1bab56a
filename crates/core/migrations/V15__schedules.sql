-- Publishing on a schedule: a comparison or term to be published, or
-- taken down, at a time. `glossary publish-due` (run from a timer, or by
-- `glossary serve` every minute) does what is due, each item once, as one
-- change filed under whoever scheduled it, and deletes its row; an item
-- that cannot be done (publishing's rules refuse it) keeps its row with
-- the reason, and is tried again at the next run. The time it goes live
-- is separate from an article's displayed `published` date. Not content:
-- the history records the publish when it happens, not the plan.
CREATE TABLE schedules (
    id            INTEGER PRIMARY KEY,
    comparison_id INTEGER UNIQUE REFERENCES comparisons (id) ON DELETE CASCADE,
    term_id       INTEGER UNIQUE REFERENCES terms (id) ON DELETE CASCADE,
    action        TEXT NOT NULL CHECK (action IN ('publish', 'unpublish')),
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
    CHECK ((comparison_id IS NULL) <> (term_id IS NULL)),
    CHECK ((failed_at IS NULL) = (failure IS NULL))
);
CREATE INDEX schedules_by_due ON schedules (due_at);
