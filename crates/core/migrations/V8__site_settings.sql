-- The published site's settings, used by every page `render` writes: one
-- row per setting, set with `glossary site set KEY VALUE` (or here, by
-- the same rules). A setting that is not here takes its default (see the
-- README's "Publishing").
CREATE TABLE site_settings (
    key   TEXT PRIMARY KEY
          CHECK (key IN ('title', 'base_url', 'language', 'publisher', 'description')),
    value TEXT NOT NULL CHECK (trim(value) <> '' AND value = trim(value)),
    CHECK (key <> 'base_url' OR ((value LIKE 'https://%' OR value LIKE 'http://%')
                                 AND value LIKE '%/' AND instr(value, ' ') = 0)),
    CHECK (key <> 'language' OR (length(value) BETWEEN 2 AND 35 AND value NOT GLOB '*[^A-Za-z0-9-]*'))
) WITHOUT ROWID;
