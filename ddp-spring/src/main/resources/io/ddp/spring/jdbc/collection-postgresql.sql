-- One DDP collection's table (io.ddp.spring.jdbc), after schema-postgresql.sql.
-- Replace ddp_tasks by the table of the collection (PostgresDocumentStores names the
-- table of collection "tasks" ddp_tasks).
CREATE TABLE IF NOT EXISTS ddp_tasks (
	_id text PRIMARY KEY,
	body jsonb NOT NULL DEFAULT '{}'::jsonb,
	version bigint NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE TRIGGER ddp_tasks_version BEFORE INSERT OR UPDATE ON ddp_tasks
	FOR EACH ROW EXECUTE FUNCTION ddp_document_version();

CREATE OR REPLACE TRIGGER ddp_tasks_notify AFTER INSERT OR UPDATE OR DELETE ON ddp_tasks
	FOR EACH ROW EXECUTE FUNCTION ddp_document_notify('ddp_tasks');
