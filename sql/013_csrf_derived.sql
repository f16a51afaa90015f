-- The CSRF token of a session is now a MAC of the session token, derived
-- on every request (session.c), so it needs no column: a database reader
-- (backup, replica, SQL injection) no longer gets working CSRF tokens.
ALTER TABLE sessions DROP COLUMN csrf_token;
