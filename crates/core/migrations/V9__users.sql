-- Accounts for the web editor (`glossary user ...`). Passwords are stored
-- only as Argon2id hashes (PHC strings). Not content: the CSV export and
-- the history leave this table out.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE COLLATE NOCASE
                        CHECK (length(trim(name)) BETWEEN 1 AND 64 AND name = trim(name)),
    role                TEXT NOT NULL CHECK (role IN ('editor', 'publisher', 'admin')),
    password_hash       TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    password_changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
