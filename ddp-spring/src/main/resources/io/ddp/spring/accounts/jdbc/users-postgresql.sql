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
