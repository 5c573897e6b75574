"""The case-file schema, as a list of forward-only migrations.

``PRAGMA user_version`` is the number of migrations applied. Opening an older file runs
the missing ones, each in its own transaction together with the version bump, so a file
is always at exactly one version. Migrations are never edited once released: the SQL
below is history (the enum values are written out, not generated, for that reason; a
test checks they still match the domain enums). To change the schema, append a
function to ``MIGRATIONS`` (the ``_v1`` helpers are part of version 1's history and
do not change either) and the migration tests run it from every earlier version
automatically.

Versions: 1 cases, periods, search, attachments, determinations, documents, audit;
2 users (roles, argon2 password hashes, sign-in failures) and the submission and
approval signatures on cases; 3 the search also finds an account number typed without
its separators (``6203313`` finds ``620-33-13``); 4 the case's cause (case@1 ``cause``,
printed in the letter) and an index of the history entries that concern no case (the
office settings, users and mail runs that issuing checks before every letter); 5
incidents (one error, many accounts: their cases, reviews by sample and approvals); 6
reports: bills issued per year and service, the facts of each issued case and the bills
it adjusted, and the open-work index; 7 each customer's email address and delivery preference, and the outbox of
notices sent by email (issue 20); 8 copies of issued documents (reprints and saved
copies) as rows of their own; on a server, people as its login roles (issue 17); 9 each
user's signing key and the signature of every history entry (issue 22).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from sqlite_utils import Database


def _v1_money_check(column: str) -> str:
    # RULES.md §1 money: digits, a point, exactly two decimals (NULL = not entered yet)
    return (f"CHECK ({column} IS NULL OR ({column} GLOB '*[0-9].[0-9][0-9]' "
            f"AND {column} NOT GLOB '*[^0-9.]*' AND {column} NOT GLOB '*.*.*'))")


def _v1_date_check(column: str) -> str:
    # a real calendar date in ISO form: with a modifier SQLite's date() normalises an
    # impossible day (2010-02-30 becomes 2010-03-02), so only a real date equals itself
    return f"CHECK ({column} IS NULL OR date({column}, '+0 days') IS {column})"


def _v1_bool_check(column: str) -> str:
    return f"CHECK ({column} IN (0, 1))"


V1_CASE_FILE = f"""
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per case. The account is copied into the case rather than shared between
-- cases: a letter must go to the customer *of this case* as recorded for it, and an
-- edit to one case must never change the address another case's letter goes to.
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    case_number     TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN
                        ('draft', 'submitted', 'returned', 'approved', 'issued', 'closed', 'void')),
    status_reason   TEXT,
    assignee        TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    revision        INTEGER NOT NULL CHECK (revision >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    prepared_by     TEXT NOT NULL,
    last_edited_by  TEXT NOT NULL,
    -- the case@1 content; a draft may still lack any of it
    rule_pack            TEXT NOT NULL,
    why                  TEXT,
    undercharge_reading  TEXT CHECK (undercharge_reading IN
                             ('ordinance', 'executive_summary', 'staff_practice')),
    minimal_threshold    TEXT {_v1_money_check('minimal_threshold')},
    occurred_basis       TEXT CHECK (occurred_basis IN ('service_days', 'bill_date')),
    account_number       TEXT NOT NULL,
    customer_name        TEXT NOT NULL,
    service_address      TEXT,
    mailing_address      TEXT,
    locale               TEXT,
    current_customer     INTEGER CHECK (current_customer IN (0, 1)),
    service              TEXT CHECK (service IN ('electric', 'water', 'wastewater', 'stormwater')),
    currency             TEXT NOT NULL,
    discovered_on        TEXT {_v1_date_check('discovered_on')},
    made_known_on        TEXT {_v1_date_check('made_known_on')},
    customer_could_have_discovered  INTEGER NOT NULL {_v1_bool_check('customer_could_have_discovered')},
    documentation_available         INTEGER NOT NULL {_v1_bool_check('documentation_available')},
    documentation_confirmed         INTEGER NOT NULL {_v1_bool_check('documentation_confirmed')},
    customer_concealed_error        INTEGER NOT NULL {_v1_bool_check('customer_concealed_error')}
);
CREATE INDEX cases_account_number ON cases (account_number);
CREATE INDEX cases_customer_name ON cases (customer_name COLLATE NOCASE);
CREATE INDEX cases_updated_at ON cases (updated_at);
CREATE INDEX cases_discovered_on ON cases (discovered_on);
CREATE INDEX cases_status ON cases (status, updated_at);
CREATE INDEX cases_assignee ON cases (assignee, updated_at);

-- A case is voided, never deleted: its history and issued documents point at it.
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases BEGIN
    SELECT RAISE(ABORT, 'a case cannot be deleted; void it instead');
END;

-- Periods in the clerk's order (position), stored together per case for a fast load.
CREATE TABLE periods (
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    position   INTEGER NOT NULL CHECK (position >= 0),
    start_date TEXT {_v1_date_check('start_date')},
    end_date   TEXT {_v1_date_check('end_date')},
    bill_date  TEXT {_v1_date_check('bill_date')},
    billed     TEXT {_v1_money_check('billed')},
    correct    TEXT {_v1_money_check('correct')},
    note       TEXT,
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

-- Search as you type: prefix indexes for 1-3 characters keep a one-letter query cheap.
CREATE VIRTUAL TABLE case_search USING fts5 (
    case_number, account_number, customer_name, service_address, mailing_address,
    content = 'cases', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_search (rowid, case_number, account_number, customer_name,
                             service_address, mailing_address)
    VALUES (new.id, new.case_number, new.account_number, new.customer_name,
            new.service_address, new.mailing_address);
END;
CREATE TRIGGER cases_search_update AFTER UPDATE ON cases
WHEN old.case_number IS NOT new.case_number OR old.account_number IS NOT new.account_number
  OR old.customer_name IS NOT new.customer_name
  OR old.service_address IS NOT new.service_address
  OR old.mailing_address IS NOT new.mailing_address
BEGIN
    INSERT INTO case_search (case_search, rowid, case_number, account_number, customer_name,
                             service_address, mailing_address)
    VALUES ('delete', old.id, old.case_number, old.account_number, old.customer_name,
            old.service_address, old.mailing_address);
    INSERT INTO case_search (rowid, case_number, account_number, customer_name,
                             service_address, mailing_address)
    VALUES (new.id, new.case_number, new.account_number, new.customer_name,
            new.service_address, new.mailing_address);
END;

-- Content-addressed attachment bytes: the same file attached twice is stored once, and
-- a removed attachment stays retrievable by the sha256 its audit entry names.
CREATE TABLE blobs (
    id      INTEGER PRIMARY KEY,
    sha256  TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size    INTEGER NOT NULL CHECK (size >= 0),
    data    BLOB NOT NULL
);
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    sha256         TEXT NOT NULL REFERENCES blobs (sha256),
    original_name  TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size >= 0),
    added_at       TEXT NOT NULL,
    added_by       TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id);

-- What the engine said about a case at a revision, bound to its fingerprint.
CREATE TABLE determinations (
    id                 INTEGER PRIMARY KEY,
    case_id            INTEGER NOT NULL REFERENCES cases (id),
    case_revision      INTEGER NOT NULL,
    fingerprint        TEXT NOT NULL CHECK (length(fingerprint) = 64),
    rule_pack          TEXT NOT NULL,
    rule_pack_version  TEXT NOT NULL,
    snapshot           TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    UNIQUE (case_id, fingerprint)
);

-- Issued letters and memos: one issue per (case, kind, determination fingerprint).
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    kind          TEXT NOT NULL,
    issue_number  INTEGER NOT NULL CHECK (issue_number >= 1),
    fingerprint   TEXT NOT NULL CHECK (length(fingerprint) = 64),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    pdf           BLOB NOT NULL,
    page_count    INTEGER NOT NULL CHECK (page_count >= 1),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    UNIQUE (case_id, kind, fingerprint),
    UNIQUE (kind, issue_number)
);

-- The hash-chained history: append-only (triggers below), one entry per change.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    case_id    INTEGER REFERENCES cases (id),
    before     TEXT,
    after      TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_case ON audit (case_id, id) WHERE case_id IS NOT NULL;
"""

#: Tables whose rows are written once and never changed or removed.
APPEND_ONLY = {"audit": "the audit history", "determinations": "a recorded determination",
               "documents": "an issued document"}

V1_APPEND_ONLY = "\n".join(
    f"""CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} BEGIN
    SELECT RAISE(ABORT, '{what} cannot be {verb}d');
END;"""
    for table, what in APPEND_ONLY.items() for verb in ("update", "delete"))


def v1_case_file(db: Database) -> None:
    """Cases, periods, search, attachments, determinations, documents, settings, audit."""
    db.executescript(V1_CASE_FILE + V1_APPEND_ONLY)


V2_USERS_AND_SIGNATURES = f"""
-- The people who use the file. A login is compared without regard to letter case (it
-- is ASCII, so NOCASE folds it exactly); a user is disabled, never deleted, because
-- the audit history and the signatures on cases name them.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    login           TEXT NOT NULL COLLATE NOCASE UNIQUE
                        CHECK (length(login) BETWEEN 1 AND 64 AND login GLOB '[A-Za-z0-9]*'
                               AND login NOT GLOB '*[^A-Za-z0-9._-]*'),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role            TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'administrator')),
    active          INTEGER NOT NULL {_v1_bool_check('active')},
    approval_limit  TEXT {_v1_money_check('approval_limit')},
    password_hash   TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE TRIGGER users_no_delete BEFORE DELETE ON users BEGIN
    SELECT RAISE(ABORT, 'a user cannot be deleted; disable the account instead');
END;

-- Failed sign-ins in a row, per login typed, to slow down guessing. The key is the
-- SHA-256 of the case-folded login, so what was typed (perhaps a password typed into
-- the login field) is never kept.
CREATE TABLE sign_in_failures (
    login_key  TEXT PRIMARY KEY CHECK (length(login_key) = 64),
    failures   INTEGER NOT NULL CHECK (failures >= 1),
    last_at    TEXT NOT NULL
) WITHOUT ROWID;

-- Who submitted and who approved, when, and the fingerprint of exactly what they saw.
ALTER TABLE cases ADD COLUMN submitted_by TEXT;
ALTER TABLE cases ADD COLUMN submitted_at TEXT;
ALTER TABLE cases ADD COLUMN submitted_fingerprint TEXT
    CHECK (submitted_fingerprint IS NULL OR length(submitted_fingerprint) = 64);
ALTER TABLE cases ADD COLUMN approved_by TEXT;
ALTER TABLE cases ADD COLUMN approved_at TEXT;
ALTER TABLE cases ADD COLUMN approved_fingerprint TEXT
    CHECK (approved_fingerprint IS NULL OR length(approved_fingerprint) = 64);
ALTER TABLE cases ADD COLUMN divergence_acknowledged INTEGER NOT NULL DEFAULT 0
    {_v1_bool_check('divergence_acknowledged')};
-- the supervisors' queue (submitted, oldest first) and each clerk's returned cases
CREATE INDEX cases_queue ON cases (status, submitted_at);
CREATE INDEX cases_submitted_by ON cases (submitted_by, status);
"""


def v2_users_and_signatures(db: Database) -> None:
    """Users, sign-in failures, and the submission and approval signatures on cases.
    Cases submitted or approved under version 1 keep their status without a signature
    (version 1 did not record one): they must be submitted again to be approved."""
    db.executescript(V2_USERS_AND_SIGNATURES)


#: What the search index's tokenizer would split an account number at (unicode61 splits
#: at every character that is not a letter or a digit; these are the ones account
#: numbers are written with), as SQL, for version 3: an account number without them is
#: one token, so its digits typed in a row find it. (En dash and no-break space.)
V3_ACCOUNT_SEPARATORS = ("'-'", "' '", "'.'", "'/'", "'_'", "','", "':'", "'#'", "char(8211)",
                         "char(160)")


def _v3_account_key(column: str) -> str:
    """The account number in ``column`` without its separators (NULL when it has none:
    it is indexed as it is already)."""
    expr = column
    for separator in V3_ACCOUNT_SEPARATORS:
        expr = f"replace({expr}, {separator}, '')"
    return f"nullif({expr}, {column})"


def _v3_search_row(row: str) -> str:
    """The values the index holds for the case ``row`` (``new`` or ``old``), in the
    order of its columns."""
    return ", ".join([f"{row}.id"] + [f"{row}.{c}" for c in (
        "case_number", "account_number", "customer_name", "service_address",
        "mailing_address")] + [_v3_account_key(f"{row}.account_number")])


V3_SEARCH_COLUMNS = ("rowid, case_number, account_number, customer_name, service_address, "
                     "mailing_address, account_key")

V3_ACCOUNT_KEY = f"""
-- The search index again, with the account number without its separators as a column
-- of its own: "6203313" and "62033" find 620-33-13 (issue 23), as "620-33" did. FTS5
-- cannot add a column, so the index is made anew and filled from the cases (once: 9 s
-- for 250,000 cases, bench/store.py). Its content is a view, so that FTS5 reads back
-- exactly what the triggers below wrote (an external-content index must).
DROP TRIGGER cases_search_insert;
DROP TRIGGER cases_search_update;
DROP TABLE case_search;
CREATE VIEW case_search_content AS
    SELECT id, case_number, account_number, customer_name, service_address, mailing_address,
           {_v3_account_key('account_number')} AS account_key
    FROM cases;
CREATE VIRTUAL TABLE case_search USING fts5 (
    case_number, account_number, customer_name, service_address, mailing_address, account_key,
    content = 'case_search_content', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_search ({V3_SEARCH_COLUMNS}) VALUES ({_v3_search_row('new')});
END;
CREATE TRIGGER cases_search_update AFTER UPDATE ON cases
WHEN old.case_number IS NOT new.case_number OR old.account_number IS NOT new.account_number
  OR old.customer_name IS NOT new.customer_name
  OR old.service_address IS NOT new.service_address
  OR old.mailing_address IS NOT new.mailing_address
BEGIN
    INSERT INTO case_search (case_search, {V3_SEARCH_COLUMNS})
    VALUES ('delete', {_v3_search_row('old')});
    INSERT INTO case_search ({V3_SEARCH_COLUMNS}) VALUES ({_v3_search_row('new')});
END;
INSERT INTO case_search (case_search) VALUES ('rebuild');
"""


def v3_account_key(db: Database) -> None:
    """The search index with each account number also without its separators."""
    db.executescript(V3_ACCOUNT_KEY)


V4_CAUSE_AND_FILE_HISTORY = """
-- What went wrong, in plain words for the customer's letter (case@1 "cause", optional).
ALTER TABLE cases ADD COLUMN cause TEXT;
-- The entries about the file rather than a case (settings, users, mail runs): issuing
-- replays the settings' entries before every letter, so they are found without reading
-- the whole history.
CREATE INDEX audit_file ON audit (entity, entity_id, id) WHERE case_id IS NULL;
"""


def v4_cause_and_file_history(db: Database) -> None:
    """The case's cause; the index of the history entries that concern no case."""
    db.executescript(V4_CAUSE_AND_FILE_HISTORY)


def _v5_money_columns(columns: tuple[str, ...]) -> str:
    return ",\n    ".join(f"{c} TEXT {_v1_money_check(c)}" for c in columns)


V5_FIGURES = ("refund", "back_bill", "six_year", "a1_i", "a1_ii", "a1_iii",
              "forgiven_ordinance", "forgiven_executive_summary", "forgiven_staff_practice")

V5_INCIDENTS = f"""
-- Incidents (issue 18): one billing error, many accounts. What went wrong is said once
-- here; each affected account is a case of its own (its evidence may be overridden on
-- that case), listed in incident_cases.
CREATE TABLE incidents (
    id               INTEGER PRIMARY KEY,
    incident_number  TEXT NOT NULL UNIQUE,
    description      TEXT NOT NULL CHECK (length(trim(description)) > 0),
    cause            TEXT NOT NULL,
    service          TEXT NOT NULL CHECK (service IN ('electric', 'water', 'wastewater', 'stormwater')),
    currency         TEXT NOT NULL,
    discovered_on    TEXT NOT NULL {_v1_date_check('discovered_on')},
    made_known_on    TEXT {_v1_date_check('made_known_on')},
    customer_could_have_discovered  INTEGER NOT NULL {_v1_bool_check('customer_could_have_discovered')},
    documentation_available         INTEGER NOT NULL {_v1_bool_check('documentation_available')},
    documentation_confirmed         INTEGER NOT NULL {_v1_bool_check('documentation_confirmed')},
    customer_concealed_error        INTEGER NOT NULL {_v1_bool_check('customer_concealed_error')},
    rule_pack            TEXT NOT NULL,
    undercharge_reading  TEXT CHECK (undercharge_reading IN
                             ('ordinance', 'executive_summary', 'staff_practice')),
    minimal_threshold    TEXT {_v1_money_check('minimal_threshold')},
    occurred_basis       TEXT CHECK (occurred_basis IN ('service_days', 'bill_date')),
    -- the CSV the cases were made from
    source_name      TEXT NOT NULL,
    source_sha256    TEXT NOT NULL CHECK (length(source_sha256) = 64),
    source_rows      INTEGER NOT NULL CHECK (source_rows >= 0),
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL
);
CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents BEGIN
    SELECT RAISE(ABORT, 'an incident cannot be changed; override its cases instead');
END;
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents BEGIN
    SELECT RAISE(ABORT, 'an incident cannot be deleted');
END;

-- The cases of an incident (a case belongs to one incident at most), the CSV line of
-- the account's first row, and the case's figures for the incident's totals as of
-- case_revision (recomputed when the case has changed since: they are a copy of what
-- the case's determination says, kept so that a 100,000-case incident opens at once;
-- verify checks them against the cases).
CREATE TABLE incident_cases (
    incident_id    INTEGER NOT NULL REFERENCES incidents (id),
    case_id        INTEGER NOT NULL UNIQUE REFERENCES cases (id),
    line           INTEGER NOT NULL CHECK (line >= 2),
    case_revision  INTEGER NOT NULL CHECK (case_revision >= 1),
    fingerprint    TEXT CHECK (fingerprint IS NULL OR length(fingerprint) = 64),
    {_v5_money_columns(V5_FIGURES)},
    readings_differ  INTEGER {_v1_bool_check('readings_differ')},
    outcome          TEXT CHECK (outcome IN ('credit_and_back_bill', 'credit', 'back_bill',
                                              'no_adjustment')),
    PRIMARY KEY (incident_id, case_id)
);
CREATE TRIGGER incident_cases_no_delete BEFORE DELETE ON incident_cases BEGIN
    SELECT RAISE(ABORT, 'a case cannot leave its incident');
END;

-- A review: the submitted cases of the incident as a supervisor was shown them, each
-- with its fingerprint, and the sample drawn from them with a recorded seed. An
-- approval covers exactly the cases and fingerprints of its review.
CREATE TABLE incident_reviews (
    id              INTEGER PRIMARY KEY,
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    seed            TEXT NOT NULL CHECK (length(seed) > 0),
    sample_size     INTEGER NOT NULL CHECK (sample_size >= 0),
    listed          INTEGER NOT NULL CHECK (listed >= 0),
    listing_sha256  TEXT NOT NULL CHECK (length(listing_sha256) = 64),
    drawn_at        TEXT NOT NULL,
    drawn_by        TEXT NOT NULL
);
CREATE INDEX incident_reviews_incident ON incident_reviews (incident_id, id);
CREATE TABLE incident_review_cases (
    review_id    INTEGER NOT NULL REFERENCES incident_reviews (id),
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    fingerprint  TEXT NOT NULL CHECK (length(fingerprint) = 64),
    sampled      TEXT CHECK (sampled IS NULL OR sampled IN ('outlier', 'divergent', 'random')),
    PRIMARY KEY (review_id, case_id)
) WITHOUT ROWID;
CREATE TABLE incident_approvals (
    id               INTEGER PRIMARY KEY,
    incident_id      INTEGER NOT NULL REFERENCES incidents (id),
    review_id        INTEGER NOT NULL UNIQUE REFERENCES incident_reviews (id),
    approved_at      TEXT NOT NULL,
    approved_by      TEXT NOT NULL,
    cases            INTEGER NOT NULL CHECK (cases >= 1),
    refund_total     TEXT NOT NULL {_v1_money_check('refund_total')},
    back_bill_total  TEXT NOT NULL {_v1_money_check('back_bill_total')}
);
CREATE INDEX incident_approvals_incident ON incident_approvals (incident_id, id);
-- an incident's own history (create, override, submit, sample, approve) without reading
-- every case's entries; only the incidents' entries are in it
CREATE INDEX audit_incident ON audit (entity_id, id) WHERE entity = 'incident';
""" + "\n".join(
    f"""CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} BEGIN
    SELECT RAISE(ABORT, '{what} cannot be {verb}d');
END;"""
    for table, what in (("incident_reviews", "a review"), ("incident_review_cases", "a review"),
                        ("incident_approvals", "an approval"))
    for verb in ("update", "delete"))


def v5_incidents(db: Database) -> None:
    """Incidents, their cases, their reviews by sample and their approvals."""
    db.executescript(V5_INCIDENTS)


V6_REPORTS = f"""
-- Bills issued per year and service (or 'all' services together), as finance gives
-- them: the denominator of the billing accuracy rate.
CREATE TABLE bills_issued (
    year     INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    service  TEXT NOT NULL CHECK (service IN
                 ('electric', 'water', 'wastewater', 'stormwater', 'all')),
    bills    INTEGER NOT NULL CHECK (bills >= 0),
    PRIMARY KEY (year, service)
);

-- One row per issued case, written with its issue (store/issue_facts.py): the figures
-- of the determination its documents were issued with, so that a report sums rows
-- instead of reading every snapshot. Money in integer cents (exact sums); the year and
-- month of the issue date as numbers, so grouping needs no date functions. Stored in
-- the order the reports group it (year, month, service, outcome): a report's sums are
-- read in one pass, without sorting, however many cases the file holds.
CREATE TABLE issue_facts (
    issued_year            INTEGER NOT NULL CHECK (issued_year BETWEEN 1900 AND 2999),
    issued_month           INTEGER NOT NULL CHECK (issued_month BETWEEN 1 AND 12),
    service                TEXT NOT NULL CHECK (service IN
                               ('electric', 'water', 'wastewater', 'stormwater')),
    outcome                TEXT NOT NULL CHECK (outcome IN
                               ('credit', 'back_bill', 'credit_and_back_bill', 'no_adjustment')),
    case_id                INTEGER NOT NULL UNIQUE REFERENCES cases (id),
    fingerprint            TEXT NOT NULL CHECK (length(fingerprint) = 64),
    issued_on              TEXT NOT NULL {_v1_date_check('issued_on')},
    reading                TEXT NOT NULL CHECK (reading IN
                               ('ordinance', 'executive_summary', 'staff_practice')),
    days_to_issue          INTEGER NOT NULL,
    affected_bills         INTEGER NOT NULL CHECK (affected_bills >= 0),
    new_bills              INTEGER NOT NULL CHECK (new_bills BETWEEN 0 AND affected_bills),
    refund_cents           INTEGER NOT NULL CHECK (refund_cents >= 0),
    back_bill_cents        INTEGER NOT NULL CHECK (back_bill_cents >= 0),
    six_year_refund_cents     INTEGER NOT NULL CHECK (six_year_refund_cents >= 0),
    refund_conditions_cents   INTEGER NOT NULL CHECK (refund_conditions_cents >= 0),
    refund_a1_i_cents         INTEGER NOT NULL CHECK (refund_a1_i_cents >= 0),
    refund_a1_ii_cents        INTEGER NOT NULL CHECK (refund_a1_ii_cents >= 0),
    refund_a1_iii_cents       INTEGER NOT NULL CHECK (refund_a1_iii_cents >= 0),
    six_year_back_bill_cents  INTEGER NOT NULL CHECK (six_year_back_bill_cents >= 0),
    back_bill_reading_cents   INTEGER NOT NULL CHECK (back_bill_reading_cents >= 0),
    former_customer_cents     INTEGER NOT NULL CHECK (former_customer_cents >= 0),
    readings_differ        INTEGER NOT NULL {_v1_bool_check('readings_differ')},
    -- the largest less the smallest back bill of the three readings: how much the
    -- reading chosen mattered
    readings_spread_cents  INTEGER NOT NULL CHECK (readings_spread_cents >= 0),
    ordinance_refund_cents          INTEGER NOT NULL,
    ordinance_back_bill_cents       INTEGER NOT NULL,
    executive_summary_refund_cents  INTEGER NOT NULL,
    executive_summary_back_bill_cents INTEGER NOT NULL,
    staff_practice_refund_cents     INTEGER NOT NULL,
    staff_practice_back_bill_cents  INTEGER NOT NULL,
    PRIMARY KEY (issued_year, issued_month, service, outcome, case_id)
) WITHOUT ROWID;
-- the cases whose readings differ, where it mattered most first
CREATE INDEX issue_facts_readings_spread ON issue_facts (readings_spread_cents, issued_on)
    WHERE readings_differ = 1;
CREATE TRIGGER issue_facts_no_update BEFORE UPDATE ON issue_facts BEGIN
    SELECT RAISE(ABORT, 'the facts of an issue cannot be updated');
END;
CREATE TRIGGER issue_facts_no_delete BEFORE DELETE ON issue_facts BEGIN
    SELECT RAISE(ABORT, 'the facts of an issue cannot be deleted');
END;

-- The sums of issue_facts per month of issue, service and outcome, kept up to date by
-- each issue (the same transaction): a report over every year reads a few thousand rows
-- whatever the number of cases; only a month cut by the dates chosen is summed from
-- issue_facts. The last columns are those of the cases whose readings differ.
CREATE TABLE issue_sums (
    issued_year               INTEGER NOT NULL,
    issued_month              INTEGER NOT NULL,
    service                   TEXT NOT NULL,
    outcome                   TEXT NOT NULL,
    cases                     INTEGER NOT NULL,
    new_bills                 INTEGER NOT NULL,
    refund_cents              INTEGER NOT NULL,
    back_bill_cents           INTEGER NOT NULL,
    six_year_refund_cents     INTEGER NOT NULL,
    refund_conditions_cents   INTEGER NOT NULL,
    refund_a1_i_cents         INTEGER NOT NULL,
    refund_a1_ii_cents        INTEGER NOT NULL,
    refund_a1_iii_cents       INTEGER NOT NULL,
    six_year_back_bill_cents  INTEGER NOT NULL,
    back_bill_reading_cents   INTEGER NOT NULL,
    former_customer_cents     INTEGER NOT NULL,
    differ_cases              INTEGER NOT NULL,
    differ_refund_cents       INTEGER NOT NULL,
    differ_back_bill_cents    INTEGER NOT NULL,
    differ_ordinance_refund_cents          INTEGER NOT NULL,
    differ_ordinance_back_bill_cents       INTEGER NOT NULL,
    differ_executive_summary_refund_cents  INTEGER NOT NULL,
    differ_executive_summary_back_bill_cents INTEGER NOT NULL,
    differ_staff_practice_refund_cents     INTEGER NOT NULL,
    differ_staff_practice_back_bill_cents  INTEGER NOT NULL,
    PRIMARY KEY (issued_year, issued_month, service, outcome)
) WITHOUT ROWID;

-- How many cases of each month of issue took each number of days from discovery to
-- issue, kept up to date by each issue: a month's median and 90th percentile are read
-- from its few hundred counts, not from its thousands of cases.
CREATE TABLE issue_days (
    issued_year    INTEGER NOT NULL,
    issued_month   INTEGER NOT NULL,
    days_to_issue  INTEGER NOT NULL,
    cases          INTEGER NOT NULL CHECK (cases >= 1),
    PRIMARY KEY (issued_year, issued_month, days_to_issue)
) WITHOUT ROWID;

-- Every bill an issued case adjusted, once: the first issue to adjust a bill keeps it,
-- so a bill adjusted twice counts once (issue_facts.new_bills).
CREATE TABLE adjusted_bills (
    account_number  TEXT NOT NULL,
    service         TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (account_number, service, start_date, end_date)
) WITHOUT ROWID;

-- The workload report: open cases counted by status and assignee with their oldest
-- dates, read from the index alone; the open cases discovered longest ago, in order.
CREATE INDEX cases_open_work ON cases (status, assignee, discovered_on, submitted_at);
-- (its condition is the one the report's query states: not issued, closed or void; a
-- status list the status index could serve instead would lead SQLite's planner away)
CREATE INDEX cases_open_by_discovery ON cases (discovered_on, id)
    WHERE status <> 'issued' AND status <> 'closed' AND status <> 'void';
"""


def v6_reports(db: Database) -> None:
    """Bills issued, the facts of every issued case and the bills adjusted, the
    open-work index. The cases issued before this version get their facts here, in the
    order they were issued (so the first issue of a bill keeps it)."""
    db.executescript(V6_REPORTS)
    from ..issue_facts import backfill_v6

    backfill_v6(db.conn)


#: The outbox's states and the moves between them (domain/outbox.py states them for the
#: app; written out here because a migration is history). What the file refuses on its
#: own, whoever writes to it: a second row for the same (case, determination, document,
#: channel), a second row with one Message-ID, any move not listed -- in particular
#: out of ``sent``, and from ``uncertain`` back to ``sending`` without a person's
#: "resend as a copy" (``uncertain>queued`` with ``copy`` set) -- a memo or a reprint
#: to a customer (only the issued letter), and deleting a row.
V7_NOTICE_MOVES = ("queued>sending", "failed_temporary>sending", "sending>sent",
                   "sending>failed_temporary", "sending>failed_permanent", "sending>uncertain",
                   "uncertain>sent", "uncertain>queued", "failed_temporary>queued",
                   "failed_permanent>queued")

V7_NOTICES = f"""
-- How this case's customer receives notices (Billing Desk's extension of case@1,
-- docs/case-format.md): their email address and paper, email or both (NULL: paper).
-- A draft keeps the address as typed, and the validator points at a malformed one (as
-- at a blank name); a notice is queued only for a valid case, and the outbox row keeps
-- the address it was queued for.
ALTER TABLE cases ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) <= 254);
ALTER TABLE cases ADD COLUMN delivery TEXT CHECK (delivery IN ('paper', 'email', 'both'));

-- One row per notice to send: a case's issued letter for one determination by one
-- channel. The row is the notice's whole life (queued, sending, sent, failed, uncertain)
-- and its Message-ID, made from the key, is what a receiving system can drop a
-- duplicate by. Each change of state is one transaction with its audit entry.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    fingerprint      TEXT NOT NULL CHECK (length(fingerprint) = 64),
    document         TEXT NOT NULL CHECK (document IN ('letter')),
    channel          TEXT NOT NULL CHECK (channel IN ('email')),
    document_id      INTEGER NOT NULL REFERENCES documents (id),
    document_sha256  TEXT NOT NULL CHECK (length(document_sha256) = 64),
    message_id       TEXT NOT NULL UNIQUE,
    to_address       TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent',
                         'failed_temporary', 'failed_permanent', 'uncertain')),
    copy             INTEGER NOT NULL DEFAULT 0 {_v1_bool_check('copy')},
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  TEXT,
    claim_token      TEXT,
    claimed_at       TEXT,
    server_reply     TEXT,
    queued_at        TEXT NOT NULL,
    queued_by        TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    sent_at          TEXT,
    UNIQUE (case_id, fingerprint, document, channel),
    -- claimed by exactly one sender while, and only while, it is being sent
    CHECK ((state = 'sending') = (claim_token IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_case ON outbox (case_id);
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox BEGIN
    SELECT RAISE(ABORT, 'a notice cannot be deleted');
END;
CREATE TRIGGER outbox_key_fixed BEFORE UPDATE OF case_id, fingerprint, document, channel,
    document_id, document_sha256, message_id, to_address, queued_at, queued_by ON outbox
BEGIN
    SELECT RAISE(ABORT, 'a notice keeps its key, its document, its address and its Message-ID');
END;
CREATE TRIGGER outbox_moves BEFORE UPDATE OF state ON outbox
WHEN old.state IS NOT new.state AND (old.state || '>' || new.state) NOT IN
    ({", ".join(f"'{m}'" for m in V7_NOTICE_MOVES)})
BEGIN
    SELECT RAISE(ABORT, 'this change of a notice''s state is not allowed');
END;
CREATE TRIGGER outbox_uncertain_resent_as_copy BEFORE UPDATE OF state ON outbox
WHEN old.state = 'uncertain' AND new.state = 'queued' AND new.copy IS NOT 1
BEGIN
    SELECT RAISE(ABORT, 'a notice that may have been sent is sent again only as a copy');
END;
CREATE TRIGGER outbox_document_of_its_case BEFORE INSERT ON outbox
WHEN NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = new.document_id
                 AND d.case_id = new.case_id AND d.fingerprint = new.fingerprint
                 AND d.kind = new.document AND d.sha256 = new.document_sha256)
BEGIN
    SELECT RAISE(ABORT, 'a notice sends its own case''s issued document');
END;
"""


def v7_notices(db: Database) -> None:
    """Each customer's email address and delivery preference; the outbox."""
    db.executescript(V7_NOTICES)


#: A copy of an issued document -- reprinted, or saved as a file -- is a row of its
#: own, never a change to the original: its bytes (stamped COPY), who made it and when.
V8_DOCUMENT_COPIES = """
CREATE TABLE document_copies (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id),
    purpose      TEXT NOT NULL CHECK (purpose IN ('reprint', 'save')),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    pdf          BLOB NOT NULL,
    page_count   INTEGER NOT NULL CHECK (page_count >= 1),
    file_name    TEXT CHECK ((purpose = 'save') = (file_name IS NOT NULL)),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX document_copies_document ON document_copies (document_id, id);
""" + "\n".join(
    f"""CREATE TRIGGER document_copies_no_{verb} BEFORE {verb.upper()} ON document_copies BEGIN
    SELECT RAISE(ABORT, 'a copy of an issued document cannot be {verb}d');
END;""" for verb in ("update", "delete"))


def v8_server_roles(db: Database) -> None:
    """A reprint or a saved copy of an issued document is kept as a new row of
    ``document_copies``. On a server, version 8 also makes each person a login role of
    PostgreSQL and has the database itself enforce who may do what
    (postgres/schema.py); a case file keeps its app-level users (argon2 passwords, the
    rules checked by the app), as there is no server between the file and whoever opens
    it."""
    db.executescript(V8_DOCUMENT_COPIES)


#: Each user's signing key (its public half, and the private half sealed with their
#: password), and the signature of each audit entry by the person who made it
V9_SIGNATURES = """
ALTER TABLE users ADD COLUMN public_key TEXT
    CHECK (public_key IS NULL OR (length(public_key) = 64 AND public_key NOT GLOB '*[^0-9a-f]*'));
ALTER TABLE users ADD COLUMN sealed_key TEXT;
ALTER TABLE audit ADD COLUMN signed_by TEXT;
ALTER TABLE audit ADD COLUMN signature TEXT
    CHECK (signature IS NULL OR (length(signature) = 128 AND signature NOT GLOB '*[^0-9a-f]*'));
"""


def v9_signatures(db: Database) -> None:
    """Signing keys and signed history entries (store/signing.py): the history of an
    older file is signed from this version on; its users get their keys when they next
    sign in. (A column there already -- a file taken back to an earlier version in a
    test -- is kept.)"""
    have = {(t, r[1]) for t in ("users", "audit")
            for r in db.execute(f"PRAGMA table_info({t})").fetchall()}
    db.executescript("\n".join(
        statement + ";" for statement in V9_SIGNATURES.split(";")
        if statement.strip() and (statement.split()[2], statement.split()[5]) not in have))


Migration = Callable[["Database"], None]

#: Migration ``i`` takes a file from version ``i`` to ``i + 1``. Append only.
MIGRATIONS: tuple[Migration, ...] = (v1_case_file, v2_users_and_signatures, v3_account_key,
                                     v4_cause_and_file_history, v5_incidents, v6_reports,
                                     v7_notices, v8_server_roles, v9_signatures)
LATEST_VERSION = len(MIGRATIONS)


def user_version(db: Database | sqlite3.Connection) -> int:
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Bring the file up to ``len(migrations)``; return the versions applied. Each step
    is one transaction with its version bump: a crash leaves the file at a whole version."""
    applied = []
    for version in range(user_version(db) + 1, len(migrations) + 1):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            migrations[version - 1](db)
            db.conn.execute(f"PRAGMA user_version = {int(version)}")
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
