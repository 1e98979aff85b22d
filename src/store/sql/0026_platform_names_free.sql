-- Platform names are no longer listed in CHECK constraints (issue 16): a
-- platform is one descriptor in src/platforms/registry.c, and adding one
-- must need no migration. The store writes only names the registry gives
-- (platform_name()), and every reader maps a name back through it.
--
-- Removing a CHECK constraint changes nothing on disk, so this takes
-- SQLite's documented short path for such changes (lang_altertable.html,
-- "making other kinds of table schema changes") instead of rebuilding
-- ten tables, which on a 10M-snapshot database would copy the item
-- table and its dependants: the stored CREATE text is edited in place.
-- The CREATE/DROP of a scratch table bumps the schema cookie, so every
-- other connection rereads the schema, and RESET makes this one reread.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(sql,
       ' CHECK (platform IN (''youtube'', ''instagram'', ''tiktok'', ''dryrun''))', ''),
       ' CHECK (platform IN (''youtube'', ''instagram'', ''tiktok''))', '')
 WHERE type = 'table' AND sql LIKE '%CHECK (platform IN (%';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump_0026 (x);
DROP TABLE schema_cookie_bump_0026;
