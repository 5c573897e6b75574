"""The desktop app (PySide6). Widgets call service functions; no rules, no SQL here."""
