-- DDP documents in PostgreSQL (io.ddp.spring.jdbc), PostgreSQL 14 or later.
-- Shared by every collection table: the version sequence and the trigger functions.
-- Flyway or Liquibase users run this once, then collection-postgresql.sql per collection
-- with ddp_tasks replaced by the collection's table.

-- One sequence for every table: a write's version is greater than every version
-- committed before it started, whatever table or instance wrote it.
CREATE SEQUENCE IF NOT EXISTS ddp_document_version;

-- Every write, also plain SQL and JPA, gets a new version.
CREATE OR REPLACE FUNCTION ddp_document_version() RETURNS trigger AS $$
BEGIN
	NEW.version := nextval('ddp_document_version');
	IF TG_OP = 'UPDATE' THEN
		NEW.created_at := OLD.created_at;
		NEW.updated_at := now();
	END IF;
	RETURN NEW;
END
$$ LANGUAGE plpgsql;

-- Field order. jsonb keeps no key order (it sorts an object's keys by length, then
-- bytes), so a document read back would list its fields unlike the instance that wrote
-- it. The store therefore also keeps the body as written, in a json column
-- (ordered_body), when jsonb would reorder it, and reads that copy when present; queries
-- and indexes use body alone. An update of body alone (plain SQL) drops the copy.
CREATE OR REPLACE FUNCTION ddp_document_unordered() RETURNS trigger AS $$
BEGIN
	NEW.ordered_body := NULL;
	RETURN NEW;
END
$$ LANGUAGE plpgsql;

-- Tells listening instances which document changed, at commit, in commit order:
-- ["<_id>", version, "i" | "u" | "d"] on the channel named by the trigger's argument,
-- with the body (as the store reads it) as a fourth element after an insert or update
-- when it fits a NOTIFY payload (8,000 bytes), so that listeners need not fetch it. An
-- id too long for a payload is sent as null: the listeners then re-read the table.
CREATE OR REPLACE FUNCTION ddp_document_notify() RETURNS trigger AS $$
DECLARE
	row_id text;
	row_version bigint;
	payload text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		row_id := OLD._id;
		row_version := OLD.version;
	ELSE
		row_id := NEW._id;
		row_version := NEW.version;
		payload := json_build_array(row_id, row_version, lower(left(TG_OP, 1)),
			coalesce(NEW.ordered_body, NEW.body::json))::text;
	END IF;
	IF payload IS NULL OR octet_length(payload) > 7900 THEN
		payload := json_build_array(row_id, row_version, lower(left(TG_OP, 1)))::text;
	END IF;
	IF octet_length(payload) > 7900 THEN
		payload := json_build_array(NULL, row_version, lower(left(TG_OP, 1)))::text;
	END IF;
	PERFORM pg_notify(TG_ARGV[0], payload);
	RETURN NULL;
END
$$ LANGUAGE plpgsql;
