-- Review before publishing: an editor marks a draft "ready"; a publisher
-- publishes it (which ends the review) or sends it back with a comment.
-- One row per entry under review, a comparison or a term. Not content:
-- the history records the edits and the publish, not the asking.
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    comparison_id INTEGER UNIQUE REFERENCES comparisons (id) ON DELETE CASCADE,
    term_id       INTEGER UNIQUE REFERENCES terms (id) ON DELETE CASCADE,
    state         TEXT NOT NULL CHECK (state IN ('ready', 'sent back')),
    requested_by  TEXT NOT NULL CHECK (length(trim(requested_by)) > 0),
    requested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Who sent it back, when, and why (set only for 'sent back').
    decided_by    TEXT,
    decided_at    TEXT,
    comment       TEXT,
    CHECK ((comparison_id IS NULL) <> (term_id IS NULL)),
    CHECK ((state = 'sent back') = (decided_by IS NOT NULL AND decided_at IS NOT NULL))
);

-- Only a draft is reviewed: publishing ends its review, however it is
-- published (the web, `glossary publish`, an UPDATE in the shell).
CREATE TRIGGER reviews_only_drafts BEFORE INSERT ON reviews
WHEN coalesce((SELECT status FROM comparisons WHERE id = NEW.comparison_id),
              (SELECT status FROM terms WHERE id = NEW.term_id)) IS NOT 'draft'
BEGIN
    SELECT RAISE(ABORT, 'only a draft can be put up for review');
END;

CREATE TRIGGER comparisons_published_ends_review AFTER UPDATE OF status ON comparisons
WHEN NEW.status = 'published'
BEGIN
    DELETE FROM reviews WHERE comparison_id = NEW.id;
END;

CREATE TRIGGER terms_published_ends_review AFTER UPDATE OF status ON terms
WHEN NEW.status = 'published'
BEGIN
    DELETE FROM reviews WHERE term_id = NEW.id;
END;
