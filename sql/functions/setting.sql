-- A setting an administrator changes at run time (table settings).
CREATE OR REPLACE FUNCTION setting(p_key text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT value FROM settings WHERE key = p_key $$;
