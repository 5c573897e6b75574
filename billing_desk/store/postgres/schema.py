"""The server's schema, as a list of forward-only migrations, like the case file's.

Everything lives in the schema ``billing_desk`` of the office's database. Its table
``schema_version`` says that the database is Billing Desk's and at which version; a
database without it is either empty (``billing-desk upgrade`` creates the schema) or
another program's (refused). Each migration runs in one transaction with its version
bump, under an advisory lock so that two upgrades started at once run one after the
other, and a database is always at exactly one version. The version numbers are the
case file's (:mod:`..sqlite.schema`): version N holds the same tables, columns and rules
on both, which is what lets ``billing-desk copy`` move an office row for row; a test
checks that both have the same number of versions.

Migrations are never edited once released: the SQL below is history. To change the
schema, append a function to ``MIGRATIONS`` here and in the case file's list.

What the database enforces itself, whoever connects (tests/store/test_postgres.py tries
each from a plain psycopg connection):

* values: the file's CHECKs, with real types (``date``, ``timestamptz``, ``boolean``;
  money is the domain ``amount``: ``numeric``, not negative, exactly two decimals --
  never a float);
* every change to a case is its next revision (``cases_revision``): with the store's
  ``UPDATE ... WHERE revision = ?`` a save based on a stale revision changes nothing;
* cases are numbered 1, 2, 3 ... without gaps (``cases_numbered``: the counter row
  ``counters.cases`` is locked and moved on by the insert itself, so a rolled-back case
  gives its number back and two workstations never get the same one);
* the audit history is one chain (``audit_chain``: the entries an insert adds must
  follow the chain's head row, which it moves on; locking that row serialises appends)
  and append-only, like recorded determinations and issued documents (no UPDATE,
  DELETE or TRUNCATE);

(The two checks run once a statement over the rows it adds -- a transition table -- so
a copy of a large office, one COPY a table, moves each counter once, not once a row:
updating one row again and again in one transaction costs more at every update.)
* an issue is stored once (UNIQUE (case_id, kind, fingerprint)), and issue numbers
  once per kind;
* every committed change is announced on the channel ``billing_desk_changes``
  (``audit_notify``: the new entries' last id, the cases and the kinds of what changed)
  so other workstations refresh without polling.

Search as you type (``cases.search``): a ``tsvector`` column that PostgreSQL computes
from the case number, the account number (also without its dashes), the customer's
name and both addresses -- lower-cased by ICU, accents removed by ``unaccent``, split on
anything that is not a letter or a digit, as the file's FTS5 ``unicode61
remove_diacritics`` tokenizer does -- with a GIN index; ``search_query`` turns typed
text into a query of word prefixes that must all match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from ..audit import GENESIS

if TYPE_CHECKING:
    import psycopg

#: The schema every table, function and collation of Billing Desk is in.
SCHEMA = "billing_desk"
#: What ``schema_version.application`` says.
APPLICATION = "billing-desk"
#: The channel every committed change is announced on (LISTEN/NOTIFY).
CHANNEL = "billing_desk_changes"
#: An advisory lock key (``pg_advisory_xact_lock``) held while migrating: "BDsk".
MIGRATION_LOCK = int.from_bytes(b"BDsk", "big")


def _refusing(table: str, what: str, verbs: Sequence[str]) -> str:
    """Triggers that refuse ``verbs`` (update, delete, truncate) on ``table``."""
    out = []
    for verb in verbs:
        level = "STATEMENT" if verb == "truncate" else "ROW"
        out.append(f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                   f"FOR EACH {level} EXECUTE FUNCTION refuse('{what} cannot be {verb}d');")
    return "\n".join(out)


def v1_case_database(conn: psycopg.Connection) -> None:
    """Cases, periods, search, attachments, determinations, documents, settings, audit:
    the file's version 1, with the server's own machinery (counters, the chain's head,
    the announcements)."""
    unaccent = _unaccent_schema(conn)
    conn.execute(f"""
-- letters compared without regard to case, as SQLite's NOCASE (ICU, accents kept)
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- RULES.md section 1 money, as the file's CHECK: not negative, exactly two decimals
-- (NULL = not entered yet). numeric keeps the two decimals it is given: never a float.
CREATE DOMAIN amount AS numeric CHECK (VALUE >= 0 AND scale(VALUE) = 2);

CREATE TABLE schema_version (
    only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    application  text NOT NULL CHECK (application = '{APPLICATION}'),
    version      integer NOT NULL CHECK (version >= 1)
);

CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TABLE settings (
    key    text PRIMARY KEY,
    value  text NOT NULL
);

-- Counters moved on inside the transaction that uses them (a row lock, not a sequence:
-- a sequence leaves a gap when the transaction rolls back).
CREATE TABLE counters (
    name   text PRIMARY KEY,
    value  bigint NOT NULL CHECK (value >= 0)
);
INSERT INTO counters (name, value) VALUES ('cases', 0);

-- One row per case; the account is copied into the case (see the case file's schema).
CREATE TABLE cases (
    id              bigint PRIMARY KEY CHECK (id >= 1),
    case_number     text COLLATE "C" NOT NULL UNIQUE,
    status          text COLLATE "C" NOT NULL CHECK (status IN
                        ('draft', 'submitted', 'returned', 'approved', 'issued', 'closed', 'void')),
    status_reason   text,
    assignee        text COLLATE "C",
    notes           text NOT NULL DEFAULT '',
    revision        integer NOT NULL CHECK (revision >= 1),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    prepared_by     text NOT NULL,
    last_edited_by  text NOT NULL,
    rule_pack            text NOT NULL,
    why                  text,
    undercharge_reading  text CHECK (undercharge_reading IN
                             ('ordinance', 'executive_summary', 'staff_practice')),
    minimal_threshold    amount,
    occurred_basis       text CHECK (occurred_basis IN ('service_days', 'bill_date')),
    account_number       text COLLATE "C" NOT NULL,
    customer_name        text NOT NULL,
    service_address      text,
    mailing_address      text,
    locale               text,
    current_customer     boolean,
    service              text CHECK (service IN ('electric', 'water', 'wastewater', 'stormwater')),
    currency             text NOT NULL,
    discovered_on        date,
    made_known_on        date,
    customer_could_have_discovered  boolean NOT NULL,
    documentation_available         boolean NOT NULL,
    documentation_confirmed         boolean NOT NULL,
    customer_concealed_error        boolean NOT NULL
);
CREATE INDEX cases_account_number ON cases (account_number);
CREATE INDEX cases_customer_name ON cases (customer_name COLLATE nocase);
CREATE INDEX cases_updated_at ON cases (updated_at);
CREATE INDEX cases_discovered_on ON cases (discovered_on);
CREATE INDEX cases_status ON cases (status, updated_at);
CREATE INDEX cases_assignee ON cases (assignee, updated_at);

-- The cases an insert adds take the counter's next numbers, all of them, in one run;
-- the insert moves the counter on (once a statement: a copy of a million cases is one).
CREATE FUNCTION number_cases() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
DECLARE
    last_id bigint;
    first_new bigint;
    last_new bigint;
    added_count bigint;
BEGIN
    SELECT value INTO last_id FROM counters WHERE name = 'cases' FOR UPDATE;
    SELECT min(id), max(id), count(*) INTO first_new, last_new, added_count FROM added;
    IF first_new IS DISTINCT FROM last_id + 1 OR last_new IS DISTINCT FROM last_id + added_count THEN
        RAISE EXCEPTION 'cases are numbered in sequence: the next case is %, not %',
            last_id + 1, first_new USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    UPDATE counters SET value = last_new WHERE name = 'cases';
    RETURN NULL;
END $$;
CREATE TRIGGER cases_numbered AFTER INSERT ON cases REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION number_cases();

-- Every change to a case is its next revision: with UPDATE ... WHERE revision = ? (the
-- store's compare-and-set) a save based on a stale revision finds no row to change.
CREATE FUNCTION check_case_change() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.case_number <> OLD.case_number THEN
        RAISE EXCEPTION 'a case keeps its number' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.revision <> OLD.revision + 1 THEN
        RAISE EXCEPTION 'a change to case % must be its next revision, %, not %',
            OLD.case_number, OLD.revision + 1, NEW.revision
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cases_revision BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION check_case_change();
{_refusing("cases", "a case", ("delete", "truncate"))}

CREATE TABLE periods (
    case_id    bigint NOT NULL REFERENCES cases (id),
    position   integer NOT NULL CHECK (position >= 0),
    start_date date,
    end_date   date,
    bill_date  date,
    billed     amount,
    correct    amount,
    note       text,
    PRIMARY KEY (case_id, position)
);

-- Search as you type: see the module's note.
CREATE FUNCTION search_words(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN trim(regexp_replace(
    lower({unaccent}.unaccent('{unaccent}.unaccent'::regdictionary, coalesce(t, '')) COLLATE "und-x-icu"),
    '[^[:alnum:]]+', ' ', 'g'));
CREATE FUNCTION case_search_vector(case_number text, account_number text, customer_name text,
                                   service_address text, mailing_address text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN to_tsvector('pg_catalog.simple'::regconfig, {SCHEMA}.search_words(concat_ws(' ',
    case_number, account_number, regexp_replace(account_number, '[^[:alnum:]]+', '', 'g'),
    customer_name, service_address, mailing_address)));
CREATE FUNCTION search_query(typed text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT to_tsquery('pg_catalog.simple'::regconfig,
                          string_agg(quote_literal(w) || ':*', ' & ' ORDER BY n))
        FROM unnest(string_to_array({SCHEMA}.search_words(typed), ' ')) WITH ORDINALITY AS t (w, n)
        WHERE w <> '');
ALTER TABLE cases ADD COLUMN search tsvector GENERATED ALWAYS AS
    ({SCHEMA}.case_search_vector(case_number, account_number, customer_name, service_address,
                                 mailing_address)) STORED;
CREATE INDEX cases_search ON cases USING gin (search);

CREATE TABLE blobs (
    id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    sha256  text NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size    bigint NOT NULL CHECK (size >= 0),
    data    bytea NOT NULL
);
CREATE TABLE attachments (
    id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id        bigint NOT NULL REFERENCES cases (id),
    sha256         text NOT NULL REFERENCES blobs (sha256),
    original_name  text NOT NULL,
    media_type     text NOT NULL,
    size           bigint NOT NULL CHECK (size >= 0),
    added_at       timestamptz NOT NULL,
    added_by       text NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id);

CREATE TABLE determinations (
    id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id            bigint NOT NULL REFERENCES cases (id),
    case_revision      integer NOT NULL,
    fingerprint        text NOT NULL CHECK (length(fingerprint) = 64),
    rule_pack          text NOT NULL,
    rule_pack_version  text NOT NULL,
    snapshot           text NOT NULL,
    created_at         timestamptz NOT NULL,
    created_by         text NOT NULL,
    UNIQUE (case_id, fingerprint)
);

-- Issued letters and memos: one issue per (case, kind, determination fingerprint),
-- whichever workstation stores it first.
CREATE TABLE documents (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cases (id),
    kind          text COLLATE "C" NOT NULL,
    issue_number  integer NOT NULL CHECK (issue_number >= 1),
    fingerprint   text NOT NULL CHECK (length(fingerprint) = 64),
    sha256        text NOT NULL CHECK (length(sha256) = 64),
    pdf           bytea NOT NULL,
    page_count    integer NOT NULL CHECK (page_count >= 1),
    created_at    timestamptz NOT NULL,
    created_by    text NOT NULL,
    UNIQUE (case_id, kind, fingerprint),
    UNIQUE (kind, issue_number)
);

-- The hash-chained history. The hash of each entry is computed by the app
-- (billing_desk/store/audit.py); the database keeps the chain whole.
CREATE TABLE audit (
    id         bigint PRIMARY KEY CHECK (id >= 1),
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    case_id    bigint REFERENCES cases (id),
    before     text,
    after      text,
    prev_hash  text NOT NULL CHECK (length(prev_hash) = 64),
    hash       text NOT NULL CHECK (length(hash) = 64)
);
CREATE INDEX audit_case ON audit (case_id, id) WHERE case_id IS NOT NULL;

-- The chain's newest entry. Locked by every write before anything else (so writers take
-- turns on the one chain), moved on by each entry appended and by nothing else.
CREATE TABLE audit_head (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    id        bigint NOT NULL CHECK (id >= 0),
    hash      text NOT NULL CHECK (length(hash) = 64)
);
INSERT INTO audit_head (id, hash) VALUES (0, '{GENESIS}');

-- The entries an insert adds must follow the head, each the one before it (numbered on
-- from the head's id, each naming the previous entry's hash); the head then names the
-- last of them. Checked once a statement, over all the rows it adds.
CREATE FUNCTION chain_audit() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
DECLARE
    head audit_head%ROWTYPE;
    broken bigint;
    newest audit%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_head FOR UPDATE;
    SELECT id INTO broken FROM (
        SELECT id, prev_hash, row_number() OVER w AS n, lag(hash) OVER w AS before FROM added
        WINDOW w AS (ORDER BY id)) AS entries
    WHERE id <> head.id + n OR prev_hash IS DISTINCT FROM coalesce(before, head.hash)
    ORDER BY id LIMIT 1;
    IF broken IS NOT NULL THEN
        RAISE EXCEPTION 'audit entry % does not follow the chain, whose newest entry is %',
            broken, head.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT * INTO newest FROM added ORDER BY id DESC LIMIT 1;
    IF FOUND THEN
        UPDATE audit_head SET id = newest.id, hash = newest.hash;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_chain AFTER INSERT ON audit REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION chain_audit();

CREATE FUNCTION move_head() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    -- only audit_chain moves it (one trigger deep), and only forward
    IF pg_trigger_depth() < 2 OR NEW.id <= OLD.id THEN
        RAISE EXCEPTION 'the head of the audit chain moves only with a new entry'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_head_moves BEFORE UPDATE ON audit_head FOR EACH ROW EXECUTE FUNCTION move_head();
{_refusing("audit_head", "the head of the audit chain", ("delete", "truncate"))}

-- Every committed change is announced (delivered at commit, to the database's listeners).
CREATE FUNCTION announce_changes() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', (
        SELECT json_build_object(
            'last', max(id),
            -- a bulk load (a copy) announces that many cases changed, not which
            'cases', CASE WHEN count(DISTINCT case_id) <= 200 THEN
                coalesce(json_agg(DISTINCT case_id) FILTER (WHERE case_id IS NOT NULL), '[]') END,
            'kinds', json_agg(DISTINCT entity))::text
        FROM added));
    RETURN NULL;
END $$;
CREATE TRIGGER audit_notify AFTER INSERT ON audit REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION announce_changes();

{_refusing("audit", "the audit history", ("update", "delete", "truncate"))}
{_refusing("determinations", "a recorded determination", ("update", "delete", "truncate"))}
{_refusing("documents", "an issued document", ("update", "delete", "truncate"))}
""")


def v2_users_and_signatures(conn: psycopg.Connection) -> None:
    """Users, sign-in failures, and the submission and approval signatures on cases (the
    file's version 2)."""
    conn.execute(f"""
CREATE TABLE users (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    login           text COLLATE nocase NOT NULL UNIQUE
                        CHECK (length(login) BETWEEN 1 AND 64
                               AND (login COLLATE "C") ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    name            text NOT NULL CHECK (length(trim(name)) > 0),
    role            text NOT NULL CHECK (role IN ('clerk', 'supervisor', 'administrator')),
    active          boolean NOT NULL,
    approval_limit  amount,
    password_hash   text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
{_refusing("users", "a user", ("delete", "truncate"))}

CREATE TABLE sign_in_failures (
    login_key  text PRIMARY KEY CHECK (length(login_key) = 64),
    failures   integer NOT NULL CHECK (failures >= 1),
    last_at    timestamptz NOT NULL
);

ALTER TABLE cases
    ADD COLUMN submitted_by text,
    ADD COLUMN submitted_at timestamptz,
    ADD COLUMN submitted_fingerprint text
        CHECK (submitted_fingerprint IS NULL OR length(submitted_fingerprint) = 64),
    ADD COLUMN approved_by text,
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN approved_fingerprint text
        CHECK (approved_fingerprint IS NULL OR length(approved_fingerprint) = 64),
    ADD COLUMN divergence_acknowledged boolean NOT NULL DEFAULT false;
CREATE INDEX cases_queue ON cases (status, submitted_at);
CREATE INDEX cases_submitted_by ON cases (submitted_by, status);
""")


def v3_account_key(conn: psycopg.Connection) -> None:
    """The account number without its separators, as a column of its own that a prefix
    finds (the file's version 3: ``620 3313`` or ``620-3313`` typed for 620-33-13). The
    search vector has held the account number without its separators since version 1;
    this column is what words typed apart are tried against, joined (store/listing.py)."""
    conn.execute("""
ALTER TABLE cases ADD COLUMN account_key text COLLATE "C" GENERATED ALWAYS AS
    (lower(regexp_replace(account_number, '[^[:alnum:]]+', '', 'g'))) STORED;
CREATE INDEX cases_account_key ON cases (account_key text_pattern_ops);
""")


def v4_cause_and_file_history(conn: psycopg.Connection) -> None:
    """The case's cause (case@1 ``cause``, for the customer's letter); an index of the
    history entries that concern no case (settings, users, mail runs), which issuing
    replays before every letter (the file's version 4)."""
    conn.execute("""
ALTER TABLE cases ADD COLUMN cause text;
CREATE INDEX audit_file ON audit (entity, entity_id, id) WHERE case_id IS NULL;
""")


_V5_FIGURES = ("refund", "back_bill", "six_year", "a1_i", "a1_ii", "a1_iii",
               "forgiven_ordinance", "forgiven_executive_summary", "forgiven_staff_practice")


def v5_incidents(conn: psycopg.Connection) -> None:
    """Incidents, their cases, their reviews by sample and their approvals (the file's
    version 5: the same tables and rules, with real types)."""
    figures = ",\n    ".join(f"{c} amount" for c in _V5_FIGURES)
    conn.execute(f"""
CREATE TABLE incidents (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    incident_number  text COLLATE "C" NOT NULL UNIQUE,
    description      text NOT NULL CHECK (length(trim(description)) > 0),
    cause            text NOT NULL,
    service          text NOT NULL CHECK (service IN ('electric', 'water', 'wastewater', 'stormwater')),
    currency         text NOT NULL,
    discovered_on    date NOT NULL,
    made_known_on    date,
    customer_could_have_discovered  boolean NOT NULL,
    documentation_available         boolean NOT NULL,
    documentation_confirmed         boolean NOT NULL,
    customer_concealed_error        boolean NOT NULL,
    rule_pack            text NOT NULL,
    undercharge_reading  text CHECK (undercharge_reading IN
                             ('ordinance', 'executive_summary', 'staff_practice')),
    minimal_threshold    amount,
    occurred_basis       text CHECK (occurred_basis IN ('service_days', 'bill_date')),
    source_name      text NOT NULL,
    source_sha256    text NOT NULL CHECK (length(source_sha256) = 64),
    source_rows      integer NOT NULL CHECK (source_rows >= 0),
    created_at       timestamptz NOT NULL,
    created_by       text NOT NULL
);
{_refusing("incidents", "an incident", ("update", "delete", "truncate"))}

CREATE TABLE incident_cases (
    incident_id    bigint NOT NULL REFERENCES incidents (id),
    case_id        bigint NOT NULL UNIQUE REFERENCES cases (id),
    line           integer NOT NULL CHECK (line >= 2),
    case_revision  integer NOT NULL CHECK (case_revision >= 1),
    fingerprint    text CHECK (fingerprint IS NULL OR length(fingerprint) = 64),
    {figures},
    readings_differ  boolean,
    outcome          text CHECK (outcome IN ('credit_and_back_bill', 'credit', 'back_bill',
                                              'no_adjustment')),
    PRIMARY KEY (incident_id, case_id)
);
{_refusing("incident_cases", "a case of an incident", ("delete", "truncate"))}

CREATE TABLE incident_reviews (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    incident_id     bigint NOT NULL REFERENCES incidents (id),
    seed            text NOT NULL CHECK (length(seed) > 0),
    sample_size     integer NOT NULL CHECK (sample_size >= 0),
    listed          integer NOT NULL CHECK (listed >= 0),
    listing_sha256  text NOT NULL CHECK (length(listing_sha256) = 64),
    drawn_at        timestamptz NOT NULL,
    drawn_by        text NOT NULL
);
CREATE INDEX incident_reviews_incident ON incident_reviews (incident_id, id);
CREATE TABLE incident_review_cases (
    review_id    bigint NOT NULL REFERENCES incident_reviews (id),
    case_id      bigint NOT NULL REFERENCES cases (id),
    fingerprint  text NOT NULL CHECK (length(fingerprint) = 64),
    sampled      text CHECK (sampled IS NULL OR sampled IN ('outlier', 'divergent', 'random')),
    PRIMARY KEY (review_id, case_id)
);
CREATE TABLE incident_approvals (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    incident_id      bigint NOT NULL REFERENCES incidents (id),
    review_id        bigint NOT NULL UNIQUE REFERENCES incident_reviews (id),
    approved_at      timestamptz NOT NULL,
    approved_by      text NOT NULL,
    cases            integer NOT NULL CHECK (cases >= 1),
    refund_total     amount NOT NULL,
    back_bill_total  amount NOT NULL
);
CREATE INDEX incident_approvals_incident ON incident_approvals (incident_id, id);
CREATE INDEX audit_incident ON audit (entity_id, id) WHERE entity = 'incident';
{_refusing("incident_reviews", "a review", ("update", "delete", "truncate"))}
{_refusing("incident_review_cases", "a review", ("update", "delete", "truncate"))}
{_refusing("incident_approvals", "an approval", ("update", "delete", "truncate"))}
""")


def v6_reports(conn: psycopg.Connection) -> None:
    """Bills issued, the facts of every issued case and the bills adjusted, the sums and
    the days kept with each issue, the open-work indexes (the file's version 6, with
    real types; money in whole cents, ``bigint``). The cases issued before this version
    get their facts here, in the order they were issued, by the file's own code
    (store/issue_facts.py), through ``?`` placeholders."""
    cents = lambda *names: ",\n    ".join(f"{n} bigint NOT NULL CHECK ({n} >= 0)"  # noqa: E731
                                         for n in names)
    plain = lambda *names: ",\n    ".join(f"{n} bigint NOT NULL" for n in names)  # noqa: E731
    kept = ("six_year_refund_cents", "refund_conditions_cents", "refund_a1_i_cents",
            "refund_a1_ii_cents", "refund_a1_iii_cents", "six_year_back_bill_cents",
            "back_bill_reading_cents", "former_customer_cents")
    by_reading = tuple(f"{r}_{what}_cents" for r in ("ordinance", "executive_summary",
                                                     "staff_practice")
                       for what in ("refund", "back_bill"))
    conn.execute(f"""
CREATE TABLE bills_issued (
    year     integer NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    service  text COLLATE "C" NOT NULL CHECK (service IN
                 ('electric', 'water', 'wastewater', 'stormwater', 'all')),
    bills    bigint NOT NULL CHECK (bills >= 0),
    PRIMARY KEY (year, service)
);

CREATE TABLE issue_facts (
    issued_year     integer NOT NULL CHECK (issued_year BETWEEN 1900 AND 2999),
    issued_month    integer NOT NULL CHECK (issued_month BETWEEN 1 AND 12),
    service         text COLLATE "C" NOT NULL CHECK (service IN
                        ('electric', 'water', 'wastewater', 'stormwater')),
    outcome         text COLLATE "C" NOT NULL CHECK (outcome IN
                        ('credit', 'back_bill', 'credit_and_back_bill', 'no_adjustment')),
    case_id         bigint NOT NULL UNIQUE REFERENCES cases (id),
    fingerprint     text NOT NULL CHECK (length(fingerprint) = 64),
    issued_on       date NOT NULL,
    reading         text NOT NULL CHECK (reading IN
                        ('ordinance', 'executive_summary', 'staff_practice')),
    days_to_issue   integer NOT NULL,
    affected_bills  integer NOT NULL CHECK (affected_bills >= 0),
    new_bills       integer NOT NULL CHECK (new_bills BETWEEN 0 AND affected_bills),
    {cents("refund_cents", "back_bill_cents", *kept)},
    -- 0 or 1, as the file keeps it (the reports' sums count it)
    readings_differ  smallint NOT NULL CHECK (readings_differ IN (0, 1)),
    {cents("readings_spread_cents")},
    {plain(*by_reading)},
    PRIMARY KEY (issued_year, issued_month, service, outcome, case_id)
);
CREATE INDEX issue_facts_readings_spread ON issue_facts (readings_spread_cents, issued_on)
    WHERE readings_differ = 1;
{_refusing("issue_facts", "the facts of an issue", ("update", "delete", "truncate"))}

CREATE TABLE issue_sums (
    issued_year   integer NOT NULL,
    issued_month  integer NOT NULL,
    service       text COLLATE "C" NOT NULL,
    outcome       text COLLATE "C" NOT NULL,
    {plain("cases", "new_bills", "refund_cents", "back_bill_cents", *kept, "differ_cases",
           "differ_refund_cents", "differ_back_bill_cents",
           *(f"differ_{c}" for c in by_reading))},
    PRIMARY KEY (issued_year, issued_month, service, outcome)
);

CREATE TABLE issue_days (
    issued_year    integer NOT NULL,
    issued_month   integer NOT NULL,
    days_to_issue  integer NOT NULL,
    cases          bigint NOT NULL CHECK (cases >= 1),
    PRIMARY KEY (issued_year, issued_month, days_to_issue)
);

CREATE TABLE adjusted_bills (
    account_number  text COLLATE "C" NOT NULL,
    service         text COLLATE "C" NOT NULL,
    start_date      date NOT NULL,
    end_date        date NOT NULL,
    case_id         bigint NOT NULL REFERENCES cases (id),
    PRIMARY KEY (account_number, service, start_date, end_date)
);

CREATE INDEX cases_open_work ON cases (status, assignee, discovered_on, submitted_at);
CREATE INDEX cases_open_by_discovery ON cases (discovered_on, id)
    WHERE status <> 'issued' AND status <> 'closed' AND status <> 'void';
""")
    from ..issue_facts import backfill_v6

    backfill_v6(_Placeholders(conn))


def v7_notices(conn: psycopg.Connection) -> None:
    """Each customer's email address and delivery preference; the outbox, one row per
    notice, and its rules (the file's version 7, with real types). What the database
    refuses on its own, whoever connects: a second row for one key or one Message-ID,
    a move between states that is not listed -- out of ``sent`` in particular, and from
    ``uncertain`` back to ``queued`` unless marked as a copy --, a change of a notice's
    key, document, address or Message-ID, a notice of another case's document (or of
    anything but its issued letter), and deleting one."""
    from ..sqlite.schema import V7_NOTICE_MOVES

    moves = ", ".join(f"'{m}'" for m in V7_NOTICE_MOVES)
    conn.execute(f"""
ALTER TABLE cases ADD COLUMN email text CHECK (email IS NULL OR length(email) <= 254);
ALTER TABLE cases ADD COLUMN delivery text CHECK (delivery IN ('paper', 'email', 'both'));

CREATE TABLE outbox (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id          bigint NOT NULL REFERENCES cases (id),
    fingerprint      text NOT NULL CHECK (length(fingerprint) = 64),
    document         text COLLATE "C" NOT NULL CHECK (document IN ('letter')),
    channel          text COLLATE "C" NOT NULL CHECK (channel IN ('email')),
    document_id      bigint NOT NULL REFERENCES documents (id),
    document_sha256  text NOT NULL CHECK (length(document_sha256) = 64),
    message_id       text NOT NULL UNIQUE,
    to_address       text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    state            text COLLATE "C" NOT NULL CHECK (state IN ('queued', 'sending', 'sent',
                         'failed_temporary', 'failed_permanent', 'uncertain')),
    copy             boolean NOT NULL DEFAULT false,
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz,
    claim_token      text,
    claimed_at       timestamptz,
    server_reply     text,
    queued_at        timestamptz NOT NULL,
    queued_by        text NOT NULL,
    updated_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    UNIQUE (case_id, fingerprint, document, channel),
    -- claimed by exactly one sender while, and only while, it is being sent
    CHECK ((state = 'sending') = (claim_token IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_case ON outbox (case_id);
{_refusing("outbox", "a notice", ("delete", "truncate"))}

CREATE FUNCTION check_notice_change() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    IF (NEW.case_id, NEW.fingerprint, NEW.document, NEW.channel, NEW.document_id,
        NEW.document_sha256, NEW.message_id, NEW.to_address, NEW.queued_at, NEW.queued_by)
       IS DISTINCT FROM
       (OLD.case_id, OLD.fingerprint, OLD.document, OLD.channel, OLD.document_id,
        OLD.document_sha256, OLD.message_id, OLD.to_address, OLD.queued_at, OLD.queued_by) THEN
        RAISE EXCEPTION 'a notice keeps its key, its document, its address and its Message-ID'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state
       AND OLD.state || '>' || NEW.state NOT IN ({moves}) THEN
        RAISE EXCEPTION 'this change of a notice''s state is not allowed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.state = 'uncertain' AND NEW.state = 'queued' AND NOT NEW.copy THEN
        RAISE EXCEPTION 'a notice that may have been sent is sent again only as a copy'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER outbox_change BEFORE UPDATE ON outbox
    FOR EACH ROW EXECUTE FUNCTION check_notice_change();

CREATE FUNCTION check_notice_document() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = NEW.document_id
                   AND d.case_id = NEW.case_id AND d.fingerprint = NEW.fingerprint
                   AND d.kind = NEW.document AND d.sha256 = NEW.document_sha256) THEN
        RAISE EXCEPTION 'a notice sends its own case''s issued document'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER outbox_document_of_its_case BEFORE INSERT ON outbox
    FOR EACH ROW EXECUTE FUNCTION check_notice_document();
""")


#: The app's roles, each a group role of the database (version 8)
GROUPS = ("clerk", "supervisor", "administrator")
#: Tables nobody changes once a row is in (INSERT only, for every group): the history,
#: what was recorded and issued. Their triggers refuse UPDATE, DELETE and TRUNCATE too.
APPEND_ONLY = ("audit", "determinations", "documents", "document_copies", "incidents",
               "issue_facts", "incident_reviews", "incident_review_cases", "incident_approvals")
#: Tables no group writes: the users change only through the administrators' functions
#: (which also create and alter the login roles), the rest is the schema's own
NOT_WRITTEN = ("users", "sign_in_failures", "schema_version", "server_roles")
#: Tables the app deletes rows of (periods cut off, attachments removed, settings reset)
DELETED_FROM = ("periods", "attachments", "settings", "bills_issued")
#: The statuses of a case whose approval or submission an edit voids
_VOIDED = {"approved": "Approval voided: the case was edited after it was approved.",
           "submitted": "Submission withdrawn: the case was edited after it was submitted."}


#: Tables whose new rows must name the person connected (row-level security), and the
#: column that names them
SIGNED_ROWS = (("audit", "actor"), ("document_copies", "created_by"),
               ("documents", "created_by"))


def _signed_rows(table: str, column: str) -> str:
    """Row-level security on ``table``: everyone reads it; a person adds only rows whose
    ``column`` names themselves (nobody else is bound: the owner, IT)."""
    return f"""ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {table}_read ON {table};
CREATE POLICY {table}_read ON {table} FOR SELECT USING (true);
DROP POLICY IF EXISTS {table}_signed ON {table};
CREATE POLICY {table}_signed ON {table} FOR INSERT
    WITH CHECK (acting_person() IS NULL OR lower({column}) = lower(acting_person()));
"""


def role_names(dbname: str) -> dict[str, str]:
    """The cluster-wide role names of one database's owner and groups: the database's
    name, then ``_owner``, ``_clerk`` ... (a name too long for PostgreSQL's 63 bytes is
    cut and told apart by a hash of the whole)."""
    import hashlib

    base = dbname if len(dbname.encode()) <= 40 else (
        dbname.encode()[:30].decode(errors="ignore") + "_" + hashlib.sha256(dbname.encode()).hexdigest()[:8])
    return {role: f"{base}_{role}" for role in ("owner", *GROUPS)}


def _content_differs() -> str:
    from ..casecodec import CONTENT_COLUMNS

    return (f"({', '.join('NEW.' + c for c in CONTENT_COLUMNS)}) IS DISTINCT FROM "
            f"({', '.join('OLD.' + c for c in CONTENT_COLUMNS)})")


def apply_grants(conn: psycopg.Connection) -> None:
    """What each group may do to each table, set again from scratch (a later migration
    that adds a table calls this after it): read everything but password hashes and
    sign-in counts; add rows; change the rows of tables that are not append-only; delete
    only where the app does; TRUNCATE never. The settings are written by administrators
    only; the users table by nobody (only through the functions of v8_server_roles). The approval rules, the return to draft and
    who signs what are the triggers' and the policies' (v8_server_roles)."""
    names = dict(conn.execute("SELECT role, name FROM server_roles").fetchall())
    groups = ", ".join(f'"{names[g]}"' for g in GROUPS)
    tables = [t for (t,) in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY 1", (SCHEMA,)).fetchall()]
    statements = [f"REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC",
                  f"GRANT USAGE ON SCHEMA {SCHEMA} TO {groups}",
                  f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {groups}"]
    for table in tables:
        statements.append(f"REVOKE ALL ON {table} FROM PUBLIC, {groups}")
        if table == "users":
            readable = "id, login, name, role, active, approval_limit, created_at, updated_at"
            if conn.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = "
                            "%s AND table_name = 'users' AND column_name = 'public_key'",
                            (SCHEMA,)).fetchone():
                readable += ", public_key"
            statements.append(f"GRANT SELECT ({readable}) ON users TO {groups}")
            continue
        if table == "sign_in_failures":
            continue
        if table == "settings":  # (the office's settings: its administrators' alone)
            statements.append(f"GRANT SELECT ON settings TO {groups}")
            statements.append(f'GRANT INSERT, UPDATE, DELETE ON settings TO "{names["administrator"]}"')
            continue
        verbs = ["SELECT"]
        if table not in NOT_WRITTEN:
            verbs.append("INSERT")
            if table not in APPEND_ONLY:
                verbs.append("UPDATE")
            if table in DELETED_FROM:
                verbs.append("DELETE")
        statements.append(f"GRANT {', '.join(verbs)} ON {table} TO {groups}")
    for statement in statements:
        conn.execute(statement)


def v8_server_roles(conn: psycopg.Connection) -> None:
    """Each person signs in to the server as a login role of their own (SCRAM-SHA-256),
    a member of one of the database's group roles -- clerk, supervisor, administrator --,
    and the database enforces the controls whatever client is used:

    * the tables, functions and the schema belong to a role that cannot log in (the
      database's ``_owner``); the groups get only the grants of :func:`apply_grants`;
    * the users table keeps login, name, role, approval limit and whether enabled; a
      person's password is PostgreSQL's (no hash of it in the table, and nobody in a
      group reads the column); people are added, disabled, enabled and re-roled only
      through ``person_add`` / ``person_change`` / ``person_password``, SECURITY DEFINER
      functions with a fixed search_path that only administrators may call (they create
      and alter the login roles and the group memberships with the users row);
    * a reprint or a saved copy of an issued document is a new row of
      ``document_copies`` (its bytes, stamped COPY, must hash to its sha256), never a
      change to the original; like the documents, INSERT only;
    * a person's writes are signed as that person (``acting_person()``: the session's
      login role): row-level security lets their audit entries name nobody else, and a
      case's submitter, approver and editor are who is connected;
    * ``cases_workflow``: nobody approves a case they prepared, last edited or submitted,
      nor above their approval limit (the larger of the refund and the back bill of the
      determination recorded at submission), nor without that authority; an approval
      binds to the fingerprint submitted; a change to the content of a submitted or
      approved case returns it to draft and voids the approval in the same statement,
      and so does a change to its periods (``periods_void_approval``).

    The roles are the cluster's: named after the database (:func:`role_names`) and
    recorded in ``server_roles``, which the functions read. Run by a superuser (IT's
    ``billing-desk upgrade``); a database without people keeps working as before. It may
    run again over its own work (every statement replaces what it makes)."""
    dbname = conn.execute("SELECT current_database()").fetchone()[0]
    names = role_names(dbname)
    owner = names["owner"]
    conn.execute("""
CREATE TABLE IF NOT EXISTS server_roles (
    role  text PRIMARY KEY CHECK (role IN ('owner', 'clerk', 'supervisor', 'administrator')),
    name  text NOT NULL UNIQUE
)""")
    # a reprint or a saved copy of an issued document: a row of its own (the file's v8)
    conn.execute("""
CREATE TABLE IF NOT EXISTS document_copies (
    id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    document_id  bigint NOT NULL REFERENCES documents (id),
    purpose      text COLLATE "C" NOT NULL CHECK (purpose IN ('reprint', 'save')),
    sha256       text NOT NULL CHECK (length(sha256) = 64),
    pdf          bytea NOT NULL,
    page_count   integer NOT NULL CHECK (page_count >= 1),
    file_name    text CHECK ((purpose = 'save') = (file_name IS NOT NULL)),
    created_at   timestamptz NOT NULL,
    created_by   text NOT NULL,
    CHECK (sha256 = encode(sha256(pdf), 'hex'))
);
CREATE INDEX IF NOT EXISTS document_copies_document ON document_copies (document_id, id);
DROP TRIGGER IF EXISTS document_copies_no_update ON document_copies;
DROP TRIGGER IF EXISTS document_copies_no_delete ON document_copies;
DROP TRIGGER IF EXISTS document_copies_no_truncate ON document_copies;
""" + _refusing("document_copies", "a copy of an issued document", ("update", "delete", "truncate")))
    conn.cursor().executemany("INSERT INTO server_roles (role, name) VALUES (%s, %s) "
                              "ON CONFLICT (role) DO NOTHING", list(names.items()))
    # (run again -- a database taken back to an earlier version in a test --, it keeps
    # the roles it has)
    names = dict(conn.execute("SELECT role, name FROM server_roles").fetchall())
    owner = names["owner"]
    for role, name in names.items():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            extra = " CREATEROLE" if role == "owner" else ""
            conn.execute(f'CREATE ROLE "{name}" NOLOGIN{extra}')
        if role != "owner":  # (the owner grants and revokes the groups)
            conn.execute(f'GRANT "{name}" TO "{owner}" WITH ADMIN OPTION')
    conn.execute(f'ALTER SCHEMA {SCHEMA} OWNER TO "{owner}"')
    for kind, query in (
            ("TABLE", "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')"),
            ("FUNCTION", "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON "
                         "n.oid = p.pronamespace WHERE n.nspname = %s AND NOT EXISTS (SELECT 1 "
                         "FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"),
            ("DOMAIN", "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                       "WHERE n.nspname = %s AND t.typtype = 'd'"),
            ("COLLATION", "SELECT c.collname FROM pg_collation c JOIN pg_namespace n ON "
                          "n.oid = c.collnamespace WHERE n.nspname = %s")):
        for (name,) in conn.execute(query, (SCHEMA,)).fetchall():
            conn.execute(f'ALTER {kind} {name} OWNER TO "{owner}"')

    voided_approved, voided_submitted = _VOIDED["approved"], _VOIDED["submitted"]
    admins = f'"{names["administrator"]}"'
    groups = ", ".join(f'"{names[g]}"' for g in GROUPS)
    conn.execute(f"""
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_password_hash_check;
ALTER TABLE users ADD CONSTRAINT users_password_hash_check
    CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%');

-- Who is connected, as the app's login: the session's login role when it is one of this
-- database's people (a member of a group, not a superuser); NULL for anyone else (the
-- owner's or IT's maintenance, a database without people). session_user, not
-- current_user: SET ROLE does not make anyone someone else.
CREATE OR REPLACE FUNCTION acting_person() RETURNS text LANGUAGE sql STABLE
SET search_path = {SCHEMA}, pg_catalog, pg_temp
RETURN (SELECT r.rolname::text FROM pg_roles r
        WHERE r.rolname = session_user AND NOT r.rolsuper AND EXISTS (
            SELECT 1 FROM server_roles g WHERE g.role <> 'owner'
            AND pg_has_role(session_user, g.name, 'MEMBER')));

CREATE OR REPLACE FUNCTION workflow_refusal(code text, message text) RETURNS void LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    -- SQLSTATE BD001: the connection turns it into the app's own WorkflowRefused
    RAISE EXCEPTION USING ERRCODE = 'BD001', MESSAGE = message, HINT = code;
END $$;

CREATE OR REPLACE FUNCTION dollars(amount numeric) RETURNS text LANGUAGE sql IMMUTABLE
RETURN '$' || to_char(amount, 'FM999,999,999,999,990.00');

CREATE OR REPLACE FUNCTION check_workflow() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
DECLARE
    person text := acting_person();
    edited boolean := false;
    approver record;
    amount numeric;
BEGIN
    -- a superuser may switch every trigger off: the rules bind everyone else
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        edited := {_content_differs()};
    END IF;
    IF edited AND person IS NOT NULL THEN
        NEW.last_edited_by := (SELECT login FROM users WHERE login = person);
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF person IS NOT NULL AND (NEW.status <> 'draft' OR NEW.submitted_by IS NOT NULL
                OR NEW.approved_by IS NOT NULL OR lower(NEW.prepared_by) <> lower(person)) THEN
            PERFORM workflow_refusal('new_case', 'A new case is a draft prepared by whoever creates it.');
        END IF;
        NEW.last_edited_by := coalesce((SELECT login FROM users WHERE login = person), NEW.last_edited_by);
        RETURN NEW;
    END IF;
    IF person IS NOT NULL AND NEW.prepared_by IS DISTINCT FROM OLD.prepared_by THEN
        PERFORM workflow_refusal('prepared_by', 'A case keeps who prepared it.');
    END IF;
    -- an edit of a submitted or approved case returns it to draft and voids the approval
    IF edited AND OLD.status IN ('submitted', 'approved') AND NEW.status = OLD.status THEN
        NEW.status := 'draft';
        NEW.status_reason := CASE OLD.status WHEN 'approved' THEN '{voided_approved}'
                                             ELSE '{voided_submitted}' END;
        NEW.submitted_by := NULL; NEW.submitted_at := NULL; NEW.submitted_fingerprint := NULL;
        NEW.approved_by := NULL; NEW.approved_at := NULL; NEW.approved_fingerprint := NULL;
        NEW.divergence_acknowledged := false;
        RETURN NEW;
    END IF;
    IF NEW.status = 'submitted' AND OLD.status IS DISTINCT FROM 'submitted' AND person IS NOT NULL
       AND lower(NEW.submitted_by) IS DISTINCT FROM lower(person) THEN
        PERFORM workflow_refusal('signed_by_other', 'A case is submitted by whoever is signed in.');
    END IF;
    IF NEW.status = 'approved' AND OLD.status = 'approved'
       AND (NEW.approved_by, NEW.approved_at, NEW.approved_fingerprint, NEW.submitted_by,
            NEW.submitted_fingerprint) IS DISTINCT FROM
           (OLD.approved_by, OLD.approved_at, OLD.approved_fingerprint, OLD.submitted_by,
            OLD.submitted_fingerprint) THEN
        PERFORM workflow_refusal('approval_kept', 'An approval cannot be changed; return the case instead.');
    END IF;
    IF NEW.status = 'approved' AND OLD.status IS DISTINCT FROM 'approved' THEN
        IF OLD.status <> 'submitted' THEN
            PERFORM workflow_refusal('not_submitted', 'Only a submitted case can be approved.');
        END IF;
        IF person IS NOT NULL AND lower(NEW.approved_by) IS DISTINCT FROM lower(person) THEN
            PERFORM workflow_refusal('signed_by_other', 'A case is approved by whoever is signed in.');
        END IF;
        SELECT login, role, active, approval_limit INTO approver FROM users
            WHERE login = NEW.approved_by;
        IF NOT FOUND OR NOT approver.active THEN
            PERFORM workflow_refusal('inactive_user', format('User %s is disabled.', NEW.approved_by));
        END IF;
        IF approver.role NOT IN ('supervisor', 'administrator') OR approver.approval_limit IS NULL THEN
            PERFORM workflow_refusal('not_an_approver', format('User %s (%s) has no approval authority.',
                                                               approver.login, approver.role));
        END IF;
        IF lower(approver.login) IN (lower(OLD.prepared_by), lower(OLD.last_edited_by),
                                     lower(coalesce(OLD.submitted_by, ''))) THEN
            PERFORM workflow_refusal('own_case', 'You cannot approve a case you prepared, last '
                'edited or submitted; another supervisor must approve it.');
        END IF;
        IF edited OR OLD.submitted_fingerprint IS NULL
           OR NEW.approved_fingerprint IS DISTINCT FROM OLD.submitted_fingerprint
           OR (NEW.submitted_by, NEW.submitted_fingerprint) IS DISTINCT FROM
              (OLD.submitted_by, OLD.submitted_fingerprint) THEN
            PERFORM workflow_refusal('not_as_submitted', 'The case is not what was submitted; '
                'return it so that the clerk submits it again.');
        END IF;
        SELECT greatest((snapshot::json ->> 'refund_total')::numeric,
                        (snapshot::json ->> 'back_bill_total')::numeric)
            INTO amount FROM determinations
            WHERE case_id = OLD.id AND fingerprint = OLD.submitted_fingerprint;
        IF amount IS NULL THEN
            PERFORM workflow_refusal('not_as_submitted', 'The case is not what was submitted; '
                'return it so that the clerk submits it again.');
        END IF;
        IF amount > approver.approval_limit THEN
            PERFORM workflow_refusal('over_limit', format('This case adjusts %s, above your approval '
                'limit of %s; refer it to a supervisor with a higher limit.', dollars(amount),
                dollars(approver.approval_limit)));
        END IF;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS cases_workflow ON cases;
CREATE TRIGGER cases_workflow BEFORE INSERT OR UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION check_workflow();

-- A period changed under a submitted or approved case returns the case to draft (the
-- app changes the case row first, so its own edits find a draft here). As the rules on
-- cases, binding every role but a superuser (IT's loads, a copy, are not edits).
CREATE OR REPLACE FUNCTION void_approval_of_periods() RETURNS trigger LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
DECLARE
    changed bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    UPDATE cases SET status = 'draft', revision = revision + 1,
        status_reason = CASE status WHEN 'approved' THEN '{voided_approved}' ELSE '{voided_submitted}' END,
        submitted_by = NULL, submitted_at = NULL, submitted_fingerprint = NULL,
        approved_by = NULL, approved_at = NULL, approved_fingerprint = NULL,
        divergence_acknowledged = false,
        last_edited_by = coalesce((SELECT login FROM users WHERE login = acting_person()), last_edited_by)
    WHERE id = changed AND status IN ('submitted', 'approved');
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS periods_void_approval ON periods;
CREATE TRIGGER periods_void_approval AFTER INSERT OR UPDATE OR DELETE ON periods
    FOR EACH ROW EXECUTE FUNCTION void_approval_of_periods();

-- A person's audit entries are their own: row-level security (the owner and IT are not
-- subject to it; the table is append-only for everyone by its grants and triggers).
{"".join(_signed_rows(table, column) for table, column in SIGNED_ROWS)}

-- Managing people: only an active administrator (or IT: a superuser, or a member of
-- the owner role) may; see person_add.
CREATE OR REPLACE FUNCTION check_manages_people() RETURNS void LANGUAGE plpgsql
SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
DECLARE
    person text := acting_person();
BEGIN
    IF person IS NULL THEN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
           OR pg_has_role(session_user, (SELECT name FROM server_roles WHERE role = 'owner'), 'MEMBER') THEN
            RETURN;
        END IF;
    ELSIF EXISTS (SELECT 1 FROM users WHERE login = person AND role = 'administrator' AND active) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'not_an_administrator',
        MESSAGE = 'Only an administrator can manage users.';
END $$;

CREATE OR REPLACE FUNCTION group_of(app_role text) RETURNS text LANGUAGE sql STABLE
SET search_path = {SCHEMA}, pg_catalog, pg_temp
RETURN (SELECT name FROM server_roles WHERE role = app_role AND role <> 'owner');

-- A person of this database: their login role is a member of one of its groups
CREATE OR REPLACE FUNCTION is_person(login_role text) RETURNS boolean LANGUAGE sql STABLE
SET search_path = {SCHEMA}, pg_catalog, pg_temp
RETURN EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
               JOIN pg_roles g ON g.oid = m.roleid
               WHERE r.rolname = login_role AND g.rolname IN
                     (SELECT name FROM server_roles WHERE role <> 'owner'));

-- A new person: their login role (LOGIN, with the SCRAM-SHA-256 verifier the app made
-- of their password -- the password itself never reaches the server), in their group,
-- and their users row. A login role that exists already is refused (roles are the
-- cluster's: one person, one login, whatever database).
CREATE OR REPLACE FUNCTION person_add(login text, name text, app_role text, approval_limit amount,
                           verifier text, at timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM check_manages_people();
    IF verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'password', MESSAGE =
            'A password reaches the server only as its SCRAM-SHA-256 verifier.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) OR EXISTS (
            SELECT 1 FROM users u WHERE u.login = person_add.login) THEN
        RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'login_taken', MESSAGE =
            format('The login %s is already used on this server; choose another.', login);
    END IF;
    IF group_of(app_role) IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'role', MESSAGE = format('There is no role %s.', app_role);
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L IN ROLE %I',
                   login, verifier, group_of(app_role));
    INSERT INTO users (login, name, role, active, approval_limit, password_hash, created_at, updated_at)
    VALUES (login, name, app_role, true, approval_limit, NULL, at, at);
END $$;

-- A person's name, role, approval limit and whether they may sign in, as the users row
-- and as their login role (LOGIN / NOLOGIN, and the one group of their role).
CREATE OR REPLACE FUNCTION person_change(login text, name text, app_role text, active boolean,
                              approval_limit amount, at timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
DECLARE
    g text;
BEGIN
    PERFORM check_manages_people();
    IF NOT is_person(login) THEN
        RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'not_a_person', MESSAGE =
            format('%s does not sign in to this database with a login of their own.', login);
    END IF;
    IF group_of(app_role) IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'role', MESSAGE = format('There is no role %s.', app_role);
    END IF;
    UPDATE users u SET name = person_change.name, role = app_role, active = person_change.active,
        approval_limit = person_change.approval_limit, updated_at = at WHERE u.login = person_change.login;
    IF NOT EXISTS (SELECT 1 FROM users WHERE role = 'administrator' AND users.active) THEN
        RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'last_administrator', MESSAGE =
            'The last active administrator cannot be disabled or given another role.';
    END IF;
    FOR g IN SELECT s.name FROM server_roles s WHERE s.role <> 'owner' AND s.role <> app_role LOOP
        EXECUTE format('REVOKE %I FROM %I', g, login);
    END LOOP;
    EXECUTE format('GRANT %I TO %I', group_of(app_role), login);
    EXECUTE format('ALTER ROLE %I %s', login, CASE WHEN active THEN 'LOGIN' ELSE 'NOLOGIN' END);
END $$;

-- A new password: a person's own, or anyone's by an administrator.
CREATE OR REPLACE FUNCTION person_password(login text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SCHEMA}, pg_catalog, pg_temp AS $$
BEGIN
    IF acting_person() IS DISTINCT FROM login THEN
        PERFORM check_manages_people();
    END IF;
    IF NOT is_person(login) OR verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION USING ERRCODE = 'BD002', HINT = 'not_a_person', MESSAGE =
            format('%s does not sign in to this database with a login of their own.', login);
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
END $$;

REVOKE ALL ON FUNCTION person_add, person_change, check_manages_people FROM PUBLIC;
GRANT EXECUTE ON FUNCTION person_add, person_change TO {admins};
REVOKE ALL ON FUNCTION person_password FROM PUBLIC;
GRANT EXECUTE ON FUNCTION person_password TO {groups};
ALTER FUNCTION acting_person OWNER TO "{owner}";
ALTER FUNCTION workflow_refusal OWNER TO "{owner}";
ALTER FUNCTION dollars OWNER TO "{owner}";
ALTER FUNCTION check_workflow OWNER TO "{owner}";
ALTER FUNCTION void_approval_of_periods OWNER TO "{owner}";
ALTER FUNCTION check_manages_people OWNER TO "{owner}";
ALTER FUNCTION group_of OWNER TO "{owner}";
ALTER FUNCTION is_person OWNER TO "{owner}";
ALTER FUNCTION person_add OWNER TO "{owner}";
ALTER FUNCTION person_change OWNER TO "{owner}";
ALTER FUNCTION person_password OWNER TO "{owner}";
ALTER TABLE server_roles OWNER TO "{owner}";
""")
    apply_grants(conn)


def v9_signatures(conn: psycopg.Connection) -> None:
    """As the file's version 9: each user's signing key and each entry's signature
    (store/signing.py), for a database whose users are the app's own (argon2 passwords).
    A database with people has neither: PostgreSQL signs them in and the database's
    rules bind them (version 8)."""
    conn.execute("""
ALTER TABLE users ADD COLUMN IF NOT EXISTS public_key text
    CHECK (public_key IS NULL OR public_key ~ '^[0-9a-f]{64}$');
ALTER TABLE users ADD COLUMN IF NOT EXISTS sealed_key text;
ALTER TABLE audit ADD COLUMN IF NOT EXISTS signed_by text;
ALTER TABLE audit ADD COLUMN IF NOT EXISTS signature text
    CHECK (signature IS NULL OR signature ~ '^[0-9a-f]{128}$');
""")
    if conn.execute("SELECT to_regclass('server_roles')").fetchone()[0] is not None:
        apply_grants(conn)  # (the new columns: public_key readable, sealed_key not)


class _Placeholders:
    """A migration's psycopg connection as the shared store code writes SQL (``?``
    placeholders, ``executemany``): for the code a migration shares with the file's."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params=()):
        return self._conn.execute(self._sql(sql) if params else sql, tuple(params) or None)

    def executemany(self, sql: str, rows):
        cur = self._conn.cursor()
        cur.executemany(self._sql(sql), list(rows))
        return cur


def _unaccent_schema(conn: psycopg.Connection) -> str:
    """Where the ``unaccent`` extension is (installed into Billing Desk's schema unless
    the database has it already). It ships with PostgreSQL (Debian: in the server
    package) and is a trusted extension: the database's owner may install it."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    return conn.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                        "ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'").fetchone()[0]


Migration = Callable[["psycopg.Connection"], None]

#: Migration ``i`` takes a database from version ``i`` to ``i + 1``. Append only, with
#: the case file's migration of the same number.
MIGRATIONS: tuple[Migration, ...] = (v1_case_database, v2_users_and_signatures, v3_account_key,
                                     v4_cause_and_file_history, v5_incidents, v6_reports,
                                     v7_notices, v8_server_roles, v9_signatures)
LATEST_VERSION = len(MIGRATIONS)

#: Tables of the server's own machinery, kept by the database (not copied between stores)
MACHINERY = ("schema_version", "counters", "audit_head", "server_roles")


def schema_version(conn: psycopg.Connection) -> int | None:
    """The database's Billing Desk schema version; 0 for an empty database; ``None``
    for a database that holds something else."""
    if conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_version",)).fetchone()[0]:
        row = conn.execute(f"SELECT application, version FROM {SCHEMA}.schema_version").fetchone()
        return row[1] if row is not None and row[0] == APPLICATION else None
    others = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN "
        "('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
        "AND n.nspname NOT LIKE 'pg_temp%'").fetchone()[0]
    return 0 if others == 0 else None


def migrate(conn: psycopg.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Bring the database up to ``len(migrations)``; return the versions applied. Each
    step is one transaction with its version bump (``conn`` in autocommit mode). The
    caller has checked that the database is Billing Desk's or empty."""
    applied = []
    while True:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            current = schema_version(conn)  # (again, under the lock)
            if current is None or current >= len(migrations):
                return applied
            version = current + 1
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            conn.execute(f"SET LOCAL search_path = {SCHEMA}, pg_catalog")
            migrations[version - 1](conn)
            if version == 1:
                conn.execute("INSERT INTO schema_version (application, version) VALUES (%s, 1)",
                             (APPLICATION,))
            else:
                conn.execute("UPDATE schema_version SET version = %s", (version,))
        applied.append(version)
