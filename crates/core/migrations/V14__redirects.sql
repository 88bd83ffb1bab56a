-- Old addresses of renamed entries, so that a published page's address
-- never turns into a 404: renaming a published comparison's slug, or a
-- published term, keeps its old name here, pointing at the entry (not at
-- a path, so a chain of renames needs no collapsing: a -> b -> c sends a
-- to wherever the entry is now). The site writes a redirect page at each
-- old address and lists them in `_redirects`.
--
-- One row per old name: `old_key` is a comparison's old slug, or a term's
-- old lookup key (the site's file name is made from it). Not content: the
-- history records the rename, not the redirect it leaves.
CREATE TABLE redirects (
    id            INTEGER PRIMARY KEY,
    comparison_id INTEGER REFERENCES comparisons (id) ON DELETE CASCADE,
    term_id       INTEGER REFERENCES terms (id) ON DELETE CASCADE,
    old_key       TEXT NOT NULL CHECK (length(old_key) > 0),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((comparison_id IS NULL) <> (term_id IS NULL)),
    -- An old slug is slug-shaped, as the comparison's was.
    CHECK (comparison_id IS NULL
           OR (old_key NOT GLOB '*[^a-z0-9-]*' AND old_key NOT GLOB '-*'
               AND old_key NOT GLOB '*-' AND old_key NOT GLOB '*--*'))
);
CREATE UNIQUE INDEX redirects_by_old_slug ON redirects (old_key) WHERE comparison_id IS NOT NULL;
CREATE UNIQUE INDEX redirects_by_old_term ON redirects (old_key) WHERE term_id IS NOT NULL;
CREATE INDEX redirects_by_comparison ON redirects (comparison_id) WHERE comparison_id IS NOT NULL;
CREATE INDEX redirects_by_term ON redirects (term_id) WHERE term_id IS NOT NULL;

-- A published comparison renamed (by glossary, the web or an UPDATE in
-- the shell) leaves its old slug; its new slug is an address again, so a
-- redirect from it goes (renaming back and forth leaves no loop). A
-- revert (glossary replaying a change backwards) leaves none: undoing a
-- rename puts the file back as it was.
CREATE TRIGGER comparisons_rename_leaves_redirect AFTER UPDATE OF slug ON comparisons
WHEN OLD.slug IS NOT NEW.slug
BEGIN
    DELETE FROM redirects WHERE comparison_id IS NOT NULL AND old_key = NEW.slug;
    INSERT INTO redirects (comparison_id, old_key)
    SELECT NEW.id, OLD.slug WHERE OLD.status = 'published'
      AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
    ON CONFLICT (old_key) WHERE comparison_id IS NOT NULL DO UPDATE SET comparison_id = excluded.comparison_id;
END;

-- A new comparison takes its address back from a redirect.
CREATE TRIGGER comparisons_insert_ends_redirect AFTER INSERT ON comparisons
BEGIN
    DELETE FROM redirects WHERE comparison_id IS NOT NULL AND old_key = NEW.slug;
END;

CREATE TRIGGER terms_rename_leaves_redirect AFTER UPDATE OF lookup_key ON terms
WHEN OLD.lookup_key IS NOT NEW.lookup_key
BEGIN
    DELETE FROM redirects WHERE term_id IS NOT NULL AND old_key = NEW.lookup_key;
    INSERT INTO redirects (term_id, old_key)
    SELECT NEW.id, OLD.lookup_key WHERE OLD.status = 'published' AND OLD.lookup_key IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
    ON CONFLICT (old_key) WHERE term_id IS NOT NULL DO UPDATE SET term_id = excluded.term_id;
END;

CREATE TRIGGER terms_insert_ends_redirect AFTER INSERT ON terms
WHEN NEW.lookup_key IS NOT NULL
BEGIN
    DELETE FROM redirects WHERE term_id IS NOT NULL AND old_key = NEW.lookup_key;
END;
