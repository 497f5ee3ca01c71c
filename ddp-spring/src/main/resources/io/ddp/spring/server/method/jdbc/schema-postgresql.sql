-- Results of io.ddp.spring.server.method.jdbc.JdbcDdpMethodDeduplicator (PostgreSQL).
-- Run it yourself (Flyway, Liquibase) with initialize-schema=never; it is idempotent.
CREATE TABLE IF NOT EXISTS ddp_method_results (
	user_id TEXT NOT NULL,
	method_id TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	result_frame TEXT,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, method_id, fingerprint)
);
CREATE INDEX IF NOT EXISTS ddp_method_results_created_at_idx ON ddp_method_results (created_at);
