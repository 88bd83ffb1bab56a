-- An import touches each entry it changed once, at its end, instead of
-- once a row.
--
-- A term's or a comparison's `updated_at` is kept by triggers on its
-- senses, examples, paragraphs, chart rows and FAQs: every row written
-- touches its owner. For an import of a million rows that was a million
-- updates of a few thousand owners, a third of the import's time. So
-- while an import's transaction holds its row in `fts_deferred` (see the
-- V4 migration; nobody else ever sees it), the insert and update triggers
-- below stand aside too, and the import touches, before it commits, the
-- owners of every row it inserted (the ids past those it started from)
-- and changed (its revisions). Edits from the CLI, the web and the sqlite3
-- shell touch their owner at once, as before. The delete triggers are
-- unchanged: an import never deletes.

DROP TRIGGER differences_touch_comparisons_on_insert;
CREATE TRIGGER differences_touch_comparisons_on_insert AFTER INSERT ON differences
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER differences_touch_comparisons_on_update;
CREATE TRIGGER differences_touch_comparisons_on_update AFTER UPDATE ON differences
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER comparison_rows_touch_comparisons_on_insert;
CREATE TRIGGER comparison_rows_touch_comparisons_on_insert AFTER INSERT ON comparison_rows
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER comparison_rows_touch_comparisons_on_update;
CREATE TRIGGER comparison_rows_touch_comparisons_on_update AFTER UPDATE ON comparison_rows
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER faqs_touch_comparisons_on_insert;
CREATE TRIGGER faqs_touch_comparisons_on_insert AFTER INSERT ON faqs
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER faqs_touch_comparisons_on_update;
CREATE TRIGGER faqs_touch_comparisons_on_update AFTER UPDATE ON faqs
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE comparisons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.comparison_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER senses_touch_terms_on_insert;
CREATE TRIGGER senses_touch_terms_on_insert AFTER INSERT ON senses
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.term_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER senses_touch_terms_on_update;
CREATE TRIGGER senses_touch_terms_on_update AFTER UPDATE ON senses
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.term_id AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER examples_touch_terms_on_insert;
CREATE TRIGGER examples_touch_terms_on_insert AFTER INSERT ON examples
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = (SELECT term_id FROM senses WHERE id = NEW.sense_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;

DROP TRIGGER examples_touch_terms_on_update;
CREATE TRIGGER examples_touch_terms_on_update AFTER UPDATE ON examples
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred)
BEGIN
    UPDATE terms SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = (SELECT term_id FROM senses WHERE id = NEW.sense_id)
      AND updated_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
END;
