-- Resume tokens of io.ddp.spring.accounts.jdbc.JdbcDdpLoginTokenStore (PostgreSQL 11 or later).
-- Run it yourself (Flyway, Liquibase) with initialize-schema=never; it is idempotent.
CREATE TABLE IF NOT EXISTS ddp_login_tokens (
	hashed_token TEXT PRIMARY KEY,
	user_id TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS ddp_login_tokens_user_id_idx ON ddp_login_tokens (user_id);
CREATE INDEX IF NOT EXISTS ddp_login_tokens_created_at_idx ON ddp_login_tokens (created_at);

-- Every removal, by any instance or by plain SQL, is announced to every instance, which closes
-- the connections logged in with the token.
CREATE OR REPLACE FUNCTION ddp_login_tokens_notify() RETURNS trigger AS $$
BEGIN
	-- payload: creation millis, hash (base64, no spaces), user id (last: it may hold spaces)
	PERFORM pg_notify('ddp_login_tokens', (extract(epoch FROM OLD.created_at) * 1000)::bigint || ' '
		|| OLD.hashed_token || ' ' || OLD.user_id);
	RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ddp_login_tokens_removed ON ddp_login_tokens;
CREATE TRIGGER ddp_login_tokens_removed AFTER DELETE ON ddp_login_tokens
	FOR EACH ROW EXECUTE FUNCTION ddp_login_tokens_notify();
