-- Relations between meanings: a sense of a term (or the whole term) and a
-- sense of another (or the whole of it), as WordNet's synset relations and
-- SKOS's semantic relations attach to concepts, not to strings.
--
--   synonym   the two mean the same            (symmetric)
--   antonym   the two mean the opposite        (symmetric)
--   related   see also                         (symmetric)
--   broader   the target is broader than the term: Executive Producer
--             broader Producer (SKOS's skos:broader)
--   narrower  the target is narrower than the term
--
-- Each pair is stored once, in the direction it was written; its inverse
-- is implied (broader and narrower are each other's; the rest their own),
-- and a term's page shows both directions. One relation per pair of ends:
-- a second one between the same two, either way round, is refused (a
-- trigger). A relation never joins an end to itself (a CHECK); its senses
-- belong to its terms (a trigger). A cycle of broader relations cannot be
-- kept out by SQLite's triggers (they cannot recurse over a table):
-- glossary refuses one when it writes, and `glossary check` reports one
-- written here (E115).
--
-- A relation belongs to its term (`term_id`, the end it was written from),
-- in that term's list (`position`), and is removed with either end.
CREATE TABLE relations (
    id              INTEGER PRIMARY KEY,
    term_id         INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (typeof(position) = 'integer' AND position > 0),
    -- NULL: the whole term.
    sense_id        INTEGER REFERENCES senses (id) ON DELETE CASCADE,
    relation        TEXT NOT NULL
                    CHECK (relation IN ('synonym', 'antonym', 'broader', 'narrower', 'related')),
    target_term_id  INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    -- NULL: the whole target term.
    target_sense_id INTEGER REFERENCES senses (id) ON DELETE CASCADE,
    CHECK (NOT (term_id = target_term_id AND sense_id IS target_sense_id)),
    UNIQUE (term_id, position)
);
CREATE INDEX relations_by_target ON relations (target_term_id);
CREATE INDEX relations_by_sense ON relations (sense_id) WHERE sense_id IS NOT NULL;
CREATE INDEX relations_by_target_sense ON relations (target_sense_id) WHERE target_sense_id IS NOT NULL;

-- Its senses are its terms'.
CREATE TRIGGER relations_senses_are_their_terms BEFORE INSERT ON relations
WHEN (NEW.sense_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM senses WHERE id = NEW.sense_id AND term_id = NEW.term_id))
  OR (NEW.target_sense_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM senses WHERE id = NEW.target_sense_id AND term_id = NEW.target_term_id))
BEGIN
    SELECT RAISE(ABORT, 'relations: a sense of a relation is a sense of its term (sense_id of term_id, target_sense_id of target_term_id)');
END;

CREATE TRIGGER relations_senses_stay_their_terms
BEFORE UPDATE OF term_id, sense_id, target_term_id, target_sense_id ON relations
WHEN (NEW.sense_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM senses WHERE id = NEW.sense_id AND term_id = NEW.term_id))
  OR (NEW.target_sense_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM senses WHERE id = NEW.target_sense_id AND term_id = NEW.target_term_id))
BEGIN
    SELECT RAISE(ABORT, 'relations: a sense of a relation is a sense of its term (sense_id of term_id, target_sense_id of target_term_id)');
END;

-- One relation per pair of ends, whichever way round.
CREATE TRIGGER relations_once_per_pair BEFORE INSERT ON relations
WHEN EXISTS (
    SELECT 1 FROM relations AS r
    WHERE (r.term_id = NEW.term_id AND r.sense_id IS NEW.sense_id
           AND r.target_term_id = NEW.target_term_id AND r.target_sense_id IS NEW.target_sense_id)
       OR (r.term_id = NEW.target_term_id AND r.sense_id IS NEW.target_sense_id
           AND r.target_term_id = NEW.term_id AND r.target_sense_id IS NEW.sense_id))
BEGIN
    SELECT RAISE(ABORT, 'relations: these two are related already (one relation per pair, either way round)');
END;

CREATE TRIGGER relations_stay_once_per_pair
BEFORE UPDATE OF term_id, sense_id, target_term_id, target_sense_id ON relations
WHEN EXISTS (
    SELECT 1 FROM relations AS r
    WHERE r.id <> NEW.id
      AND ((r.term_id = NEW.term_id AND r.sense_id IS NEW.sense_id
            AND r.target_term_id = NEW.target_term_id AND r.target_sense_id IS NEW.target_sense_id)
        OR (r.term_id = NEW.target_term_id AND r.sense_id IS NEW.target_sense_id
            AND r.target_term_id = NEW.term_id AND r.target_sense_id IS NEW.sense_id)))
BEGIN
    SELECT RAISE(ABORT, 'relations: these two are related already (one relation per pair, either way round)');
END;

-- Positions stay 1..n when one goes.
CREATE TRIGGER relations_close_gap AFTER DELETE ON relations
WHEN EXISTS (SELECT 1 FROM terms WHERE id = OLD.term_id)
  AND NOT EXISTS (SELECT 1 FROM current_change WHERE replaying)
BEGIN
    UPDATE relations SET position = position + 1000000000
    WHERE term_id = OLD.term_id AND position > OLD.position AND position < 1000000000;
    UPDATE relations SET position = position - 1000000001
    WHERE term_id = OLD.term_id AND position > 1000000000 AND position < 2000000000;
END;

-- Both ends' pages show it: a change touches both terms.
CREATE TRIGGER relations_touch_terms_on_insert AFTER INSERT ON relations
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id IN (NEW.term_id, NEW.target_term_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

CREATE TRIGGER relations_touch_terms_on_update AFTER UPDATE ON relations
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id IN (OLD.term_id, OLD.target_term_id, NEW.term_id, NEW.target_term_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

CREATE TRIGGER relations_touch_terms_on_delete AFTER DELETE ON relations
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id IN (OLD.term_id, OLD.target_term_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

-- History (as V6 records the other kinds).
CREATE TRIGGER relations_history_insert AFTER INSERT ON relations
-- An import records its new rows as ranges of ids (change_ranges).
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action) VALUES ((SELECT change_id FROM current_change), 'relations', NEW.id, 'insert');
END;

CREATE TRIGGER relations_history_update AFTER UPDATE ON relations
WHEN NEW.position < 1000000000
 AND (OLD.term_id, CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END,
      OLD.sense_id, OLD.relation, OLD.target_term_id, OLD.target_sense_id)
  IS NOT (NEW.term_id, NEW.position, NEW.sense_id, NEW.relation, NEW.target_term_id, NEW.target_sense_id)
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values, new_values)
    VALUES ((SELECT change_id FROM current_change), 'relations', NEW.id, 'update',
            json_object('term_id', OLD.term_id, 'position', CASE WHEN OLD.position >= 1000000000 THEN OLD.position - 1000000000 ELSE OLD.position END,
                        'sense_id', OLD.sense_id, 'relation', OLD.relation, 'target_term_id', OLD.target_term_id, 'target_sense_id', OLD.target_sense_id),
            json_object('term_id', NEW.term_id, 'position', NEW.position,
                        'sense_id', NEW.sense_id, 'relation', NEW.relation, 'target_term_id', NEW.target_term_id, 'target_sense_id', NEW.target_sense_id));
END;

CREATE TRIGGER relations_history_delete BEFORE DELETE ON relations
BEGIN
    INSERT INTO revisions (change_id, table_name, row_id, action, old_values)
    VALUES ((SELECT change_id FROM current_change), 'relations', OLD.id, 'delete',
            json_object('term_id', OLD.term_id, 'position', OLD.position, 'sense_id', OLD.sense_id, 'relation', OLD.relation,
                        'target_term_id', OLD.target_term_id, 'target_sense_id', OLD.target_sense_id));
END;

-- The history's content tables (V19), with this one.
DROP TRIGGER revisions_name_content;
CREATE TRIGGER revisions_name_content BEFORE INSERT ON revisions
WHEN NEW.table_name NOT IN ('terms', 'senses', 'examples', 'variants', 'relations',
                            'comparisons', 'differences', 'comparison_rows', 'faqs')
BEGIN
    SELECT RAISE(ABORT, 'revisions.table_name: not a content table');
END;

DROP TRIGGER change_ranges_name_content;
CREATE TRIGGER change_ranges_name_content BEFORE INSERT ON change_ranges
WHEN NEW.table_name NOT IN ('terms', 'senses', 'examples', 'variants', 'relations',
                            'comparisons', 'differences', 'comparison_rows', 'faqs')
BEGIN
    SELECT RAISE(ABORT, 'change_ranges.table_name: not a content table');
END;

-- A term's pending version (V16) may change its variants (V19) and
-- relations too.
DROP TRIGGER pending_versions_edits_are_rows;
CREATE TRIGGER pending_versions_edits_are_rows BEFORE INSERT ON pending_versions
WHEN EXISTS (
    SELECT 1 FROM json_each(NEW.edits) AS e
    WHERE e.type <> 'object'
       OR json_extract(e.value, '$.kind') NOT IN
          (SELECT value FROM json_each(CASE NEW.owner_kind
               WHEN 'comparison' THEN '["comparison", "difference", "row", "faq"]'
               ELSE '["term", "sense", "example", "variant", "relation"]' END))
       OR json_type(e.value, '$.id') IS NOT 'integer'
       OR json_extract(e.value, '$.id') = 0)
BEGIN
    SELECT RAISE(ABORT, 'pending_versions.edits: each edit is an object with the kind of a row of its entry and a nonzero integer id');
END;

DROP TRIGGER pending_versions_edits_stay_rows;
CREATE TRIGGER pending_versions_edits_stay_rows BEFORE UPDATE OF edits, owner_kind ON pending_versions
WHEN EXISTS (
    SELECT 1 FROM json_each(NEW.edits) AS e
    WHERE e.type <> 'object'
       OR json_extract(e.value, '$.kind') NOT IN
          (SELECT value FROM json_each(CASE NEW.owner_kind
               WHEN 'comparison' THEN '["comparison", "difference", "row", "faq"]'
               ELSE '["term", "sense", "example", "variant", "relation"]' END))
       OR json_type(e.value, '$.id') IS NOT 'integer'
       OR json_extract(e.value, '$.id') = 0)
BEGIN
    SELECT RAISE(ABORT, 'pending_versions.edits: each edit is an object with the kind of a row of its entry and a nonzero integer id');
END;
