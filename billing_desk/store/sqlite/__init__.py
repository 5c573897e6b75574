"""The case file (``*.bdesk``): the store on one SQLite database -- its connection, its
schema and migrations, the header read before SQLite opens a file, and the protection
of this process's SQLite locks (docs/case-file.md)."""
