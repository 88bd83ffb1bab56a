-- Drafts, found at once: the editor's dashboard counts them and its lists
-- filter by them, and in a large glossary they are few among many
-- published entries (a full scan of a million terms to find ten drafts
-- takes a while). Partial indexes cost nothing for published rows.
CREATE INDEX terms_drafts ON terms (lookup_key) WHERE status = 'draft';
CREATE INDEX comparisons_drafts ON comparisons (slug) WHERE status = 'draft';

-- An entry's history at once however long the history grows: the changes
-- to a comparison's paragraphs, rows and FAQs, and to a term's senses, are
-- found by the parent id their revisions record (the history triggers
-- record whole rows), not by reading every revision. `history.rs` queries
-- this very expression.
CREATE INDEX revisions_by_parent ON revisions (
    table_name,
    coalesce(json_extract(old_values, '$.comparison_id'), json_extract(new_values, '$.comparison_id'),
             json_extract(old_values, '$.term_id'), json_extract(new_values, '$.term_id')));
