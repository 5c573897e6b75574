"""The pure core: money, dates, cases, rule packs, workflow. No Qt, no SQL, no I/O."""
