-- The site links every mention of a published term to its page, with
-- the term's definition as a tooltip: `autolink` says how often, `first`
-- (the default: its first mention in each section of a page), `all`, or
-- `off`. SQLite cannot change a CHECK in place, so the settings table is
-- made again, its rows as they were.
CREATE TABLE site_settings_v18 (
    key   TEXT PRIMARY KEY
          CHECK (key IN ('title', 'base_url', 'language', 'publisher', 'description', 'autolink')),
    value TEXT NOT NULL CHECK (trim(value) <> '' AND value = trim(value)),
    CHECK (key <> 'base_url' OR ((value LIKE 'https://%' OR value LIKE 'http://%')
                                 AND value LIKE '%/' AND instr(value, ' ') = 0)),
    CHECK (key <> 'language' OR (length(value) BETWEEN 2 AND 35 AND value NOT GLOB '*[^A-Za-z0-9-]*')),
    CHECK (key <> 'autolink' OR value IN ('off', 'first', 'all'))
) WITHOUT ROWID;
INSERT INTO site_settings_v18 (key, value) SELECT key, value FROM site_settings;
DROP TABLE site_settings;
ALTER TABLE site_settings_v18 RENAME TO site_settings;
