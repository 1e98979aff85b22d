-- The PostgreSQL backend's first migration (docs/postgresql.md): the
-- settings every open reads (the rollup zone, the generation). The event
-- store's tables follow in this file as they are written.
CREATE TABLE mediadash_setting (
    key text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO mediadash_setting(key, value) VALUES
    ('rollup_zone', 'UTC'), ('generation', '0');
