"""A Billing Desk database on a PostgreSQL server: the store for a department, where many
workstations work on the same cases at once. psycopg 3 (:mod:`.connection`), the schema
and its migrations (:mod:`.schema`), and the announcements of committed changes that let
other workstations refresh at once (:mod:`.notify`). Imported only when a server is
used: a workstation that opens a case file never loads psycopg."""
