-- Web editor sign-ins (`glossary serve`). The cookie holds a random token;
-- only its BLAKE2b hash is kept here, so a copy of the database does not
-- sign anyone in. Not content: the export and the history leave it out.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at  TEXT NOT NULL CHECK (expires_at > created_at)
) WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);

-- A new password ends every session of its user, whoever sets it (the
-- CLI, or an UPDATE typed in the sqlite3 shell); so does removing the user,
-- even with foreign keys off.
CREATE TRIGGER users_password_ends_sessions AFTER UPDATE OF password_hash ON users
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
END;

CREATE TRIGGER users_removal_ends_sessions AFTER DELETE ON users
BEGIN
    DELETE FROM sessions WHERE user_id = OLD.id;
END;
