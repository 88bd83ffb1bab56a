-- What readers may see, stated once for everything that publishes
-- (render, export --published-only, the web server) and for people who
-- query the database directly: a comparison is public when it is
-- published and so are both its terms. A published article whose term
-- is a draft (set so in the sqlite3 shell, say) stays off the site rather
-- than showing the draft's definitions; `glossary check` reports it.
CREATE VIEW public_comparisons AS
  SELECT c.*
  FROM comparisons AS c
  JOIN terms AS l ON l.id = c.left_term_id
  JOIN terms AS r ON r.id = c.right_term_id
  WHERE c.status = 'published' AND l.status = 'published' AND r.status = 'published';

CREATE VIEW public_terms AS
  SELECT * FROM terms WHERE status = 'published';
