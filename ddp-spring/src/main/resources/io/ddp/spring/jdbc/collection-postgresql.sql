-- One DDP collection's table (io.ddp.spring.jdbc), after schema-postgresql.sql.
-- Replace ddp_tasks by the table of the collection (PostgresDocumentStores names the
-- table of collection "tasks" ddp_tasks).
CREATE TABLE IF NOT EXISTS ddp_tasks (
	_id text PRIMARY KEY,
	body jsonb NOT NULL DEFAULT '{}'::jsonb,
	-- The body as written when jsonb changes its key order (see schema-postgresql.sql)
	ordered_body json,
	version bigint NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Tables made before ordered_body
ALTER TABLE ddp_tasks ADD COLUMN IF NOT EXISTS ordered_body json;

-- A write that changes the body but not ordered_body (plain SQL) drops the stale copy
CREATE OR REPLACE TRIGGER ddp_tasks_ordered BEFORE UPDATE ON ddp_tasks
	FOR EACH ROW WHEN (NEW.ordered_body IS NOT NULL AND NEW.ordered_body::text IS NOT DISTINCT FROM OLD.ordered_body::text
		AND NEW.body IS DISTINCT FROM OLD.body)
	EXECUTE FUNCTION ddp_document_unordered();

CREATE OR REPLACE TRIGGER ddp_tasks_version BEFORE INSERT OR UPDATE ON ddp_tasks
	FOR EACH ROW EXECUTE FUNCTION ddp_document_version();

CREATE OR REPLACE TRIGGER ddp_tasks_notify AFTER INSERT OR UPDATE OR DELETE ON ddp_tasks
	FOR EACH ROW EXECUTE FUNCTION ddp_document_notify('ddp_tasks');

-- Sort keys (io.ddp.spring.jdbc.SqlSort): ddp_sort_key maps a document to a bytea whose
-- byte order is Minimongo's order of the sort (mixed types, lists by their smallest
-- element ascending and largest descending, ties by _id in UTF-16 order), so that one
-- expression index serves ORDER BY ... LIMIT. NULL for a value that has no exact key
-- (NaN, regular expressions, custom EJSON types other than ObjectIDs, numbers beyond
-- the range of a double, dates not given as numbers, objects of two or more keys in a
-- row whose jsonb order is not the written one): the store then sorts in Java.
-- The same for every collection: shared by every table, replaced under the schema lock.

-- A string as UTF-8, with U+E000..U+FFFF moved above the 4-byte sequences (lead bytes
-- EE, EF to F5, F6): UTF-16 code-unit order, as Java and JavaScript compare. JSONB
-- strings hold no NUL, so 0x00 ends a string.
CREATE OR REPLACE FUNCTION ddp_sort_string(value text) RETURNS bytea AS $$
DECLARE
	result bytea := '';
	part bytea;
	c text;
BEGIN
	IF value !~ '[\uE000-\uFFFF]' THEN
		RETURN convert_to(value, 'UTF8');
	END IF;
	FOREACH c IN ARRAY regexp_split_to_array(value, '') LOOP
		part := convert_to(c, 'UTF8');
		IF ascii(c) BETWEEN 57344 AND 65535 THEN
			part := set_byte(part, 0, get_byte(part, 0) + 7);
		END IF;
		result := result || part;
	END LOOP;
	RETURN result;
END
$$ LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE;

-- Every byte complemented: reverses the order of prefix-free keys (descending).
CREATE OR REPLACE FUNCTION ddp_sort_invert(value bytea) RETURNS bytea AS $$
	SELECT decode(translate(encode(value, 'hex'), '0123456789abcdef', 'fedcba9876543210'), 'hex')
$$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

-- A number: its double with the sign bit flipped (all bits when negative), then 0x00,
-- or, for an integer literal beyond 2^53 within a long, 0x01 and the long with its sign
-- bit flipped (Java compares two longs exactly). NULL beyond a double's range.
CREATE OR REPLACE FUNCTION ddp_sort_number(value numeric, literal text) RETURNS bytea AS $$
DECLARE
	bits bytea;
	exact bytea;
BEGIN
	IF abs(value) >= 1e308 OR (value <> 0 AND abs(value) < 1e-300) THEN
		RETURN NULL;
	END IF;
	bits := float8send(value::float8);
	IF get_byte(bits, 0) >= 128 THEN
		bits := ddp_sort_invert(bits);
	ELSE
		bits := set_byte(bits, 0, get_byte(bits, 0) + 128);
	END IF;
	IF literal ~ '^-?[0-9]+$' AND abs(value) > 9007199254740992
			AND value BETWEEN -9223372036854775808 AND 9223372036854775807 THEN
		exact := int8send(value::bigint);
		exact := set_byte(exact, 0, (get_byte(exact, 0) + 128) % 256);
		RETURN bits || '\x01'::bytea || exact;
	END IF;
	RETURN bits || '\x00'::bytea;
END
$$ LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE;

-- The special form of an EJSON object (io.ddp.spring.protocol.EjsonDecoder's rules), or
-- NULL for a plain object.
CREATE OR REPLACE FUNCTION ddp_sort_form(value jsonb) RETURNS text AS $$
	SELECT CASE
		WHEN jsonb_typeof(value) <> 'object' THEN NULL
		WHEN (SELECT count(*) FROM jsonb_object_keys(value)) = 1 THEN
			CASE WHEN (value -> '$date') IS NOT NULL THEN 'date' WHEN (value -> '$InfNaN') IS NOT NULL THEN 'infnan'
				WHEN (value -> '$binary') IS NOT NULL THEN 'binary' WHEN (value -> '$escape') IS NOT NULL THEN 'escape' END
		WHEN (SELECT count(*) FROM jsonb_object_keys(value)) = 2 THEN
			CASE WHEN (value -> '$regexp') IS NOT NULL AND (value -> '$flags') IS NOT NULL THEN 'regexp'
				WHEN (value -> '$type') IS NOT NULL AND (value -> '$value') IS NOT NULL THEN 'type' END
	END
$$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

-- One value's key: a type byte in Minimongo's order (0x10 null, 0x11 numbers, 0x12
-- strings, 0x13 objects, 0x14 lists, 0x15 binary, 0x16 ObjectIDs, 0x17 booleans, 0x18
-- dates), then the value; objects and lists end with 0x00, so every key is prefix-free.
-- SQL NULL stands for a missing value.
CREATE OR REPLACE FUNCTION ddp_sort_value(value jsonb, in_order boolean) RETURNS bytea AS $$
DECLARE
	result bytea;
	part bytea;
	element jsonb;
	member record;
	form text;
	bytes bytea;
	number numeric;
BEGIN
	IF value IS NULL THEN
		RETURN '\x10'::bytea;
	END IF;
	CASE jsonb_typeof(value)
		WHEN 'null' THEN
			RETURN '\x10'::bytea;
		WHEN 'number' THEN
			RETURN '\x11'::bytea || ddp_sort_number(value::numeric, value::text);
		WHEN 'string' THEN
			RETURN '\x12'::bytea || ddp_sort_string(value #>> '{}') || '\x00'::bytea;
		WHEN 'boolean' THEN
			RETURN CASE WHEN value::boolean THEN '\x1701'::bytea ELSE '\x1700'::bytea END;
		WHEN 'array' THEN
			result := '\x14'::bytea;
			FOR element IN SELECT jsonb_array_elements(value) LOOP
				part := ddp_sort_value(element, in_order);
				IF part IS NULL THEN
					RETURN NULL;
				END IF;
				result := result || part;
			END LOOP;
			RETURN result || '\x00'::bytea;
		ELSE
			form := ddp_sort_form(value);
			IF form IS NULL THEN
				NULL;
			ELSIF form = 'escape' THEN
				value := value -> '$escape';
				IF jsonb_typeof(value) <> 'object' THEN
					RETURN NULL;
				END IF;
			ELSIF form = 'date' THEN
				IF jsonb_typeof(value -> '$date') <> 'number' THEN
					RETURN NULL;
				END IF;
				number := trunc((value -> '$date')::numeric);
				RETURN '\x18'::bytea || ddp_sort_number(number, number::text);
			ELSIF form = 'infnan' THEN
				IF jsonb_typeof(value -> '$InfNaN') <> 'number' OR (value -> '$InfNaN')::numeric = 0 THEN
					RETURN NULL;
				END IF;
				RETURN CASE WHEN (value -> '$InfNaN')::numeric > 0 THEN '\x11fff0000000000000'::bytea
					ELSE '\x11000fffffffffffff'::bytea END || '\x00'::bytea;
			ELSIF form = 'binary' AND jsonb_typeof(value -> '$binary') = 'string' THEN
				bytes := decode(value ->> '$binary', 'base64');
				RETURN '\x15'::bytea || int4send(length(bytes)) || bytes;
			ELSIF form = 'type' AND value ->> '$type' = 'oid' AND jsonb_typeof(value -> '$value') = 'string' THEN
				RETURN '\x16'::bytea || ddp_sort_string(lower(value ->> '$value')) || '\x00'::bytea;
			ELSE
				RETURN NULL;
			END IF;
			-- An object compares as the list of its keys and values in the order they were
			-- written. jsonb keeps its own order, which is the written one when the row has
			-- no ordered_body (in_order); otherwise only an object of one key is exact
			IF NOT in_order AND (SELECT count(*) FROM jsonb_object_keys(value)) > 1 THEN
				RETURN NULL;
			END IF;
			result := '\x13'::bytea;
			FOR member IN SELECT * FROM jsonb_each(value) LOOP
				part := ddp_sort_value(member.value, in_order);
				IF part IS NULL THEN
					RETURN NULL;
				END IF;
				result := result || '\x12'::bytea || ddp_sort_string(member.key) || '\x00'::bytea || part;
			END LOOP;
			RETURN result || '\x00'::bytea;
	END CASE;
END
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

-- The values a dotted path reaches, as Minimongo's sorter finds them: lists met before the
-- last part are looked into element by element, or only indexed by a numeric part; NULL
-- for a path that leads nowhere.
CREATE OR REPLACE FUNCTION ddp_sort_lookup(value jsonb, parts text[], index integer) RETURNS SETOF jsonb AS $$
DECLARE
	part text;
	found boolean := false;
	element jsonb;
	form text;
BEGIN
	IF index > cardinality(parts) THEN
		RETURN NEXT value;
		RETURN;
	END IF;
	part := parts[index];
	CASE jsonb_typeof(value)
		WHEN 'object' THEN
			form := ddp_sort_form(value);
			IF form = 'escape' THEN
				value := value -> '$escape';
			ELSIF form IS NOT NULL THEN
				-- A date, binary or the like: no sub-document
				RETURN NEXT NULL;
				RETURN;
			END IF;
			IF (value -> part) IS NOT NULL THEN
				RETURN QUERY SELECT ddp_sort_lookup(value -> part, parts, index + 1);
			ELSE
				RETURN NEXT NULL;
			END IF;
		WHEN 'array' THEN
			IF part ~ '^[0-9]{1,9}$' THEN
				IF part::integer < jsonb_array_length(value) THEN
					RETURN QUERY SELECT ddp_sort_lookup(value -> part::integer, parts, index + 1);
				ELSE
					RETURN NEXT NULL;
				END IF;
				RETURN;
			END IF;
			FOR element IN SELECT jsonb_array_elements(value) LOOP
				IF jsonb_typeof(element) = 'object' AND (ddp_sort_form(element) IS NULL OR ddp_sort_form(element) = 'escape') THEN
					RETURN QUERY SELECT ddp_sort_lookup(element, parts, index);
					found := true;
				END IF;
			END LOOP;
			IF NOT found THEN
				RETURN NEXT NULL;
			END IF;
		ELSE
			RETURN NEXT NULL;
	END CASE;
END
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

-- A document's key for a sort: per key the smallest (ascending) or largest (descending)
-- value the path reaches, lists at its end expanded one level, complemented when
-- descending; then the id. NULL when a value has no exact key.
CREATE OR REPLACE FUNCTION ddp_sort_key(body jsonb, id text, in_order boolean, paths text[], ascending boolean[])
	RETURNS bytea AS $$
DECLARE
	result bytea := '';
	best bytea;
	part bytea;
	branch jsonb;
	branches jsonb[];
	is_list boolean;
	parts text[];
	root jsonb;
BEGIN
	FOR i IN 1 .. cardinality(paths) LOOP
		parts := string_to_array(paths[i], '.');
		IF parts[1] = '_id' THEN
			root := to_jsonb(id);
			parts := parts[2:];
		ELSE
			root := body;
		END IF;
		best := NULL;
		-- One path part: one branch, without the lookup
		branches := CASE WHEN cardinality(parts) = 1 THEN ARRAY[root -> parts[1]]
			ELSE ARRAY(SELECT ddp_sort_lookup(root, parts, 1)) END;
		FOREACH branch IN ARRAY branches LOOP
			-- A list is expanded one level; any other value (or none) is a list of one.
			-- Indexing the list, not a SELECT over its elements: no query for the
			-- common single value.
			is_list := jsonb_typeof(branch) = 'array';
			FOR j IN 0 .. CASE WHEN is_list THEN jsonb_array_length(branch) ELSE 1 END - 1 LOOP
				part := ddp_sort_value(CASE WHEN is_list THEN branch -> j ELSE branch END, in_order);
				IF part IS NULL THEN
					RETURN NULL;
				END IF;
				IF best IS NULL OR (ascending[i] AND part < best) OR (NOT ascending[i] AND part > best) THEN
					best := part;
				END IF;
			END LOOP;
		END LOOP;
		best := coalesce(best, '\x10'::bytea);
		result := result || CASE WHEN ascending[i] THEN best ELSE ddp_sort_invert(best) END;
	END LOOP;
	RETURN result || ddp_sort_string(id);
END
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;
