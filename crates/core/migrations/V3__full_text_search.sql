-- Full-text search over the content people search: definitions, examples,
-- articles' titles and summaries, key-difference paragraphs, chart rows and
-- FAQs. One external-content FTS5 table per table (`faqs_fts` indexes
-- `faqs`, and so on): the text is stored once, in the content table, and
-- the triggers below keep each index in step with every insert, update and
-- delete, including those typed into the sqlite3 shell.
--
-- Tokenizer: unicode61 with diacritics removed, so "cafe" finds "café".
-- `glossary check` runs FTS5's integrity check; `glossary check --fix`
-- rebuilds an index that has drifted.

CREATE VIRTUAL TABLE senses_fts USING fts5 (
    definition,
    content = 'senses',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER senses_fts_insert AFTER INSERT ON senses
BEGIN
    INSERT INTO senses_fts (rowid, definition) VALUES (NEW.id, NEW.definition);
END;

CREATE TRIGGER senses_fts_delete AFTER DELETE ON senses
BEGIN
    INSERT INTO senses_fts (senses_fts, rowid, definition) VALUES ('delete', OLD.id, OLD.definition);
END;

CREATE TRIGGER senses_fts_update AFTER UPDATE OF definition ON senses
BEGIN
    INSERT INTO senses_fts (senses_fts, rowid, definition) VALUES ('delete', OLD.id, OLD.definition);
    INSERT INTO senses_fts (rowid, definition) VALUES (NEW.id, NEW.definition);
END;

INSERT INTO senses_fts (senses_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE examples_fts USING fts5 (
    text,
    content = 'examples',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER examples_fts_insert AFTER INSERT ON examples
BEGIN
    INSERT INTO examples_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

CREATE TRIGGER examples_fts_delete AFTER DELETE ON examples
BEGIN
    INSERT INTO examples_fts (examples_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
END;

CREATE TRIGGER examples_fts_update AFTER UPDATE OF text ON examples
BEGIN
    INSERT INTO examples_fts (examples_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
    INSERT INTO examples_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

INSERT INTO examples_fts (examples_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE comparisons_fts USING fts5 (
    title, summary,
    content = 'comparisons',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER comparisons_fts_insert AFTER INSERT ON comparisons
BEGIN
    INSERT INTO comparisons_fts (rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);
END;

CREATE TRIGGER comparisons_fts_delete AFTER DELETE ON comparisons
BEGIN
    INSERT INTO comparisons_fts (comparisons_fts, rowid, title, summary) VALUES ('delete', OLD.id, OLD.title, OLD.summary);
END;

CREATE TRIGGER comparisons_fts_update AFTER UPDATE OF title, summary ON comparisons
BEGIN
    INSERT INTO comparisons_fts (comparisons_fts, rowid, title, summary) VALUES ('delete', OLD.id, OLD.title, OLD.summary);
    INSERT INTO comparisons_fts (rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);
END;

INSERT INTO comparisons_fts (comparisons_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE differences_fts USING fts5 (
    text,
    content = 'differences',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER differences_fts_insert AFTER INSERT ON differences
BEGIN
    INSERT INTO differences_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

CREATE TRIGGER differences_fts_delete AFTER DELETE ON differences
BEGIN
    INSERT INTO differences_fts (differences_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
END;

CREATE TRIGGER differences_fts_update AFTER UPDATE OF text ON differences
BEGIN
    INSERT INTO differences_fts (differences_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
    INSERT INTO differences_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;

INSERT INTO differences_fts (differences_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE comparison_rows_fts USING fts5 (
    aspect, left_value, right_value,
    content = 'comparison_rows',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER comparison_rows_fts_insert AFTER INSERT ON comparison_rows
BEGIN
    INSERT INTO comparison_rows_fts (rowid, aspect, left_value, right_value) VALUES (NEW.id, NEW.aspect, NEW.left_value, NEW.right_value);
END;

CREATE TRIGGER comparison_rows_fts_delete AFTER DELETE ON comparison_rows
BEGIN
    INSERT INTO comparison_rows_fts (comparison_rows_fts, rowid, aspect, left_value, right_value) VALUES ('delete', OLD.id, OLD.aspect, OLD.left_value, OLD.right_value);
END;

CREATE TRIGGER comparison_rows_fts_update AFTER UPDATE OF aspect, left_value, right_value ON comparison_rows
BEGIN
    INSERT INTO comparison_rows_fts (comparison_rows_fts, rowid, aspect, left_value, right_value) VALUES ('delete', OLD.id, OLD.aspect, OLD.left_value, OLD.right_value);
    INSERT INTO comparison_rows_fts (rowid, aspect, left_value, right_value) VALUES (NEW.id, NEW.aspect, NEW.left_value, NEW.right_value);
END;

INSERT INTO comparison_rows_fts (comparison_rows_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE faqs_fts USING fts5 (
    question, answer,
    content = 'faqs',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER faqs_fts_insert AFTER INSERT ON faqs
BEGIN
    INSERT INTO faqs_fts (rowid, question, answer) VALUES (NEW.id, NEW.question, NEW.answer);
END;

CREATE TRIGGER faqs_fts_delete AFTER DELETE ON faqs
BEGIN
    INSERT INTO faqs_fts (faqs_fts, rowid, question, answer) VALUES ('delete', OLD.id, OLD.question, OLD.answer);
END;

CREATE TRIGGER faqs_fts_update AFTER UPDATE OF question, answer ON faqs
BEGIN
    INSERT INTO faqs_fts (faqs_fts, rowid, question, answer) VALUES ('delete', OLD.id, OLD.question, OLD.answer);
    INSERT INTO faqs_fts (rowid, question, answer) VALUES (NEW.id, NEW.question, NEW.answer);
END;

INSERT INTO faqs_fts (faqs_fts) VALUES ('rebuild');

-- Ranking: bm25, with a match in a title, a chart aspect or a question
-- counting more than one in the text under it. Stored in each index, so
-- `ORDER BY rank` (which FTS5 answers fastest) uses the weights.
INSERT INTO comparisons_fts (comparisons_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0)');
INSERT INTO comparison_rows_fts (comparison_rows_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0, 1.0)');
INSERT INTO faqs_fts (faqs_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)');
