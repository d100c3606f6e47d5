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

-- What capture sees: every change that leaves a row unsent. The flag's committed state decides
-- what is sent (a row whose sent_to_kafka is not TRUE is sent, then flagged), and the row filter
-- says the same to logical decoding:
--   a new row FALSE or NULL                  -> an insert        (sent)
--   a new row TRUE                           -> nothing          (never sent)
--   TRUE set back to FALSE or NULL (re-send) -> an insert        (sent again)
--   an edit of a row still unsent            -> an update        (its newest values are sent)
--   capture's own FALSE -> TRUE              -> a delete         (capture skips deletes)
-- PostgreSQL 15+. A filter on UPDATE may only read columns of the replica identity, so the table
-- logs its full old row (REPLICA IDENTITY FULL): a few dozen bytes of WAL per flag write.
DO $$
BEGIN
    IF (SELECT relreplident FROM pg_class WHERE oid = 'public.user_logins'::regclass) <> 'f' THEN
        ALTER TABLE public.user_logins REPLICA IDENTITY FULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'user_logins_pub') THEN
        CREATE PUBLICATION user_logins_pub FOR TABLE public.user_logins WHERE (sent_to_kafka IS NOT TRUE)
            WITH (publish = 'insert, update');
    ELSIF NOT EXISTS (SELECT 1 FROM pg_publication p JOIN pg_publication_tables t ON t.pubname = p.pubname
                      WHERE p.pubname = 'user_logins_pub' AND p.pubinsert AND p.pubupdate AND NOT p.pubdelete
                        AND t.schemaname = 'public' AND t.tablename = 'user_logins'
                        AND t.rowfilter = '(sent_to_kafka IS NOT TRUE)') THEN
        -- A publication from an earlier version of this file (inserts only, no filter).
        ALTER PUBLICATION user_logins_pub SET TABLE public.user_logins WHERE (sent_to_kafka IS NOT TRUE);
        ALTER PUBLICATION user_logins_pub SET (publish = 'insert, update');
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
