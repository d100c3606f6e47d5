-- The source side of the pipeline. Idempotent: ./pipeline up applies it at every start, and the
-- PostgreSQL Docker image runs it once as an init script (docker-compose.yml mounts this folder).

-- The seed's table, unchanged.
CREATE TABLE IF NOT EXISTS public.user_logins (
    id SERIAL PRIMARY KEY,
    username TEXT,
    event_type TEXT,
    event_time TIMESTAMP,
    sent_to_kafka BOOLEAN DEFAULT FALSE
);

-- Capture sets sent_to_kafka = TRUE on every row it publishes. With half of each page free those
-- updates are HOT (no index entry written, ~2x less WAL). For the same reason there is no index
-- on sent_to_kafka, not even a partial one: any index on the column forbids HOT updates, and the
-- backlog query runs once, at capture's first start, where a sequential scan is what it needs.
ALTER TABLE public.user_logins SET (fillfactor = 50);

-- Inserts only: updates (the flag write-back), deletes and truncates are not events.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'user_logins_pub') THEN
        CREATE PUBLICATION user_logins_pub FOR TABLE public.user_logins WITH (publish = 'insert');
    END IF;
END
$$;

-- The capture role: not a superuser; it may replicate, read the table and set the flag, nothing
-- else. Its password is set by 02-capture-password.sh from CAPTURE_PGPASSWORD.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_capture') THEN
        CREATE ROLE cdc_capture LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO cdc_capture;
GRANT SELECT ON public.user_logins TO cdc_capture;
GRANT UPDATE (sent_to_kafka) ON public.user_logins TO cdc_capture;
