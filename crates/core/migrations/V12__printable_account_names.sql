-- Account names are printed in the server's log, one event a line: a line
-- break or other control character in one would forge lines there. The
-- CLI and the web refuse them; these triggers refuse them whoever writes.
CREATE TRIGGER users_name_printable_insert BEFORE INSERT ON users
WHEN NEW.name GLOB ('*[' || char(1) || '-' || char(31) || char(127) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'an account name may not contain control characters (line breaks, tabs)');
END;

CREATE TRIGGER users_name_printable_update BEFORE UPDATE OF name ON users
WHEN NEW.name GLOB ('*[' || char(1) || '-' || char(31) || char(127) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'an account name may not contain control characters (line breaks, tabs)');
END;
