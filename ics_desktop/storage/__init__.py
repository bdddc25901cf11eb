"""Storage: the SQLite file and everything that keeps it safe (opening, schema, migrations, backups, restore,
one app per file, never writing onto it), the Store every read and write goes through, limits and edits."""
