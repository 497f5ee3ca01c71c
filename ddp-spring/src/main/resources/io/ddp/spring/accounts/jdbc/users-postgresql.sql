-- Users of io.ddp.spring.accounts.jdbc.JdbcDdpUserStore (PostgreSQL 11 or later).
-- Run it yourself (Flyway, Liquibase) with initialize-schema=never; it is idempotent.
CREATE TABLE IF NOT EXISTS ddp_users (
	id TEXT PRIMARY KEY,
	username TEXT,
	profile JSONB NOT NULL DEFAULT '{}',
	roles TEXT[] NOT NULL DEFAULT '{}',
	password_hash TEXT,
	created_at TIMESTAMPTZ NOT NULL
);
-- Usernames and e-mail addresses are unique ignoring case, as Meteor's accounts keep them.
CREATE UNIQUE INDEX IF NOT EXISTS ddp_users_username_idx ON ddp_users (lower(username));
CREATE TABLE IF NOT EXISTS ddp_user_emails (
	user_id TEXT NOT NULL REFERENCES ddp_users (id) ON DELETE CASCADE,
	position INT NOT NULL,
	address TEXT NOT NULL,
	PRIMARY KEY (user_id, position)
);
CREATE UNIQUE INDEX IF NOT EXISTS ddp_user_emails_address_idx ON ddp_user_emails (lower(address));

-- A change of what a user's document shows (username, profile, e-mail addresses) or its
-- removal, by any instance or by plain SQL, is announced to every instance: the connections
-- logged in as that user see it in collection users. Roles and passwords are not published,
-- so changing only them announces nothing.
CREATE OR REPLACE FUNCTION ddp_users_notify() RETURNS trigger AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF TG_TABLE_NAME = 'ddp_users' THEN
			PERFORM pg_notify('ddp_users', OLD.id);
		ELSE
			PERFORM pg_notify('ddp_users', OLD.user_id);
		END IF;
	ELSIF TG_TABLE_NAME = 'ddp_users' THEN
		PERFORM pg_notify('ddp_users', NEW.id);
	ELSE
		PERFORM pg_notify('ddp_users', NEW.user_id);
	END IF;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ddp_users_changed ON ddp_users;
CREATE TRIGGER ddp_users_changed AFTER UPDATE ON ddp_users FOR EACH ROW
	WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.profile IS DISTINCT FROM NEW.profile)
	EXECUTE FUNCTION ddp_users_notify();
DROP TRIGGER IF EXISTS ddp_users_removed ON ddp_users;
CREATE TRIGGER ddp_users_removed AFTER DELETE ON ddp_users FOR EACH ROW EXECUTE FUNCTION ddp_users_notify();
DROP TRIGGER IF EXISTS ddp_user_emails_changed ON ddp_user_emails;
CREATE TRIGGER ddp_user_emails_changed AFTER INSERT OR UPDATE OR DELETE ON ddp_user_emails FOR EACH ROW
	EXECUTE FUNCTION ddp_users_notify();
