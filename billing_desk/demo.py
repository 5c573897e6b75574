"""Deterministic demo cases: realistic enough to try every screen, the same every time.

``demo_cases(count, seed)`` yields :class:`DemoCase` values (a :class:`CaseDraft` and
the bookkeeping a clerk's office would have: who prepared it, who has it, notes, the
workflow steps taken). Case ``i`` depends only on ``(seed, i)``, so a million cases can
be streamed and any one of them regenerated. Pure Python: no clock, no I/O.

The office is ``DEMO_USERS``: four clerks who prepare and submit, two supervisors with
approval limits who approve or return, and an administrator. Their passwords are public
(the demo file's sign-in screen shows them). The workflow steps are taken under the same
rules as in the app: a case is approved by the first supervisor whose limit covers it,
and stays submitted when none does.

Besides ordinary cases over all four services, the set includes the situations the
ordinance was written for:

* the 2009 stormwater run-off-factor error: seventy-four residential customers billed
  with the wrong run-off factor since their plat was approved, refunds of about $42 to
  $850 (agenda item, Ordinance No. 121, 2009);
* a water meter that stopped registering, re-billed from a Sec. 26-119 estimate;
* an undercharge the customer knew of and concealed (Sec. 26-721(b));
* a former customer's undercharge, which (a)(2) does not reach.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Iterator

from dateutil.relativedelta import relativedelta

from .domain.case import Evidence, OccurredBasis, Options, Reading, Service
from .domain.draft import AccountDraft, CaseDraft, PeriodDraft
from .domain.meter import meter_failure_estimate
from .domain.money import round_half_up
from .domain.rulepacks import determine
from .domain.workflow import Action, Actor, Role, may_approve

DEFAULT_SEED = 26721
STORMWATER_CUSTOMERS = 74


@dataclass(frozen=True, slots=True)
class DemoUser:
    login: str
    name: str
    role: Role
    password: str
    approval_limit: Decimal | None = None


#: The demo office. The administrator comes first: the first user of a file.
DEMO_USERS = (
    DemoUser("admin", "Dana Whitaker", Role.ADMINISTRATOR, "admin-demo"),
    DemoUser("akim", "Alex Kim", Role.CLERK, "akim-demo"),
    DemoUser("bnguyen", "Bảo Nguyễn", Role.CLERK, "bnguyen-demo"),
    DemoUser("cortiz", "Camila Ortiz", Role.CLERK, "cortiz-demo"),
    DemoUser("dpatel", "Devi Patel", Role.CLERK, "dpatel-demo"),
    DemoUser("mwhitfield", "Margaret Whitfield", Role.SUPERVISOR, "mwhitfield-demo",
             Decimal("1000.00")),
    DemoUser("rsandoval", "Ramón Sandoval", Role.SUPERVISOR, "rsandoval-demo",
             Decimal("10000.00")),
)
DEMO_ADMINISTRATOR = DEMO_USERS[0].login
CLERKS = tuple(u.login for u in DEMO_USERS if u.role is Role.CLERK)
SUPERVISORS = tuple(u.login for u in DEMO_USERS if u.role is Role.SUPERVISOR)

FIRST_NAMES = (
    "Maria", "James", "Linh", "Robert", "Ana", "David", "Sofía", "Michael", "Zoë", "Thomas",
    "Renée", "José", "Emily", "Daniel", "Ingrid", "Kwame", "Chloé", "Hannah", "Luis",
    "Margaret", "Søren", "Priya", "Björn", "Olivia", "Andrés", "Grace", "François", "Noah",
    "Ximena", "Peter", "Aisha", "William", "Łucja", "Samuel", "Elena", "Jorge",
)
LAST_NAMES = (
    "Peña Müller", "Johnson", "Nguyễn", "Martínez", "Schmidt", "Okafor", "Anderson", "García",
    "Olsen", "Kowalczyk", "Smith", "Hernández", "Brown", "Dvořák", "Wilson", "Ólafsdóttir",
    "Taylor", "Ramírez", "Baker", "Jäger", "Clark", "Núñez", "Lewis", "Becker", "Young",
    "Castañeda", "Walker", "O'Connor", "Hall", "Lindqvist", "Allen", "Gómez", "Wright",
    "Fischer", "Scott", "Ruiz", "Green", "Müller", "Adams", "Chávez", "Nelson", "Torres",
)
SPANISH_NAMES = frozenset({"Peña Müller", "Martínez", "García", "Hernández", "Ramírez", "Núñez",
                           "Castañeda", "Gómez", "Ruiz", "Chávez", "Torres"})
BUSINESSES = (
    "Poudre Valley Bakery LLC", "Old Town Bicycle Co-op", "Horsetooth Veterinary Clinic",
    "Mulberry Street Laundromat", "Cache la Poudre Brewing", "Spring Creek Dental",
    "Foothills Hardware Inc.", "Café Olé on Laurel", "Timberline Self Storage",
)
STREETS = (
    "S College Ave", "W Mulberry St", "W Laurel St", "S Shields St", "E Drake Rd",
    "E Harmony Rd", "S Timberline Rd", "W Prospect Rd", "N Lemay Ave", "S Taft Hill Rd",
    "W Horsetooth Rd", "W Elizabeth St", "W Mountain Ave", "E Oak St", "Peterson St",
    "Remington St", "N Mason St", "S Howes St", "Whedbee St", "S Loomis Ave", "W Olive St",
    "W Magnolia St", "E Plum St", "E Vine Dr", "S Overland Trl", "Ziegler Rd", "Stover St",
    "Riverside Ave", "Linden St", "Jefferson St", "Centre Ave", "Rolland Moore Dr",
)
ZIPS = ("80521", "80524", "80525", "80526", "80528")
#: typical monthly charge range per service, in cents
MONTHLY_CENTS = {Service.ELECTRIC: (4500, 21000), Service.WATER: (2200, 9500),
                 Service.WASTEWATER: (1800, 6500), Service.STORMWATER: (900, 3600)}
ERROR_NOTES = {
    Service.ELECTRIC: ("wrong rate class (commercial rate on a residence)",
                       "meter multiplier entered as 1 instead of 10", "demand charge duplicated"),
    Service.WATER: ("meter read transposed", "irrigation tap billed twice",
                    "wrong meter size on account"),
    Service.WASTEWATER: ("winter-quarter average not updated", "billed on irrigation use"),
    Service.STORMWATER: ("wrong lot area after re-plat", "run-off factor of wrong land use"),
}
#: What went wrong, in plain words for the customer's letter (case@1 "cause"), in the
#: customer's language: one for each kind of error the demo cases have.
CAUSES = {
    "wrong rate class (commercial rate on a residence)": (
        "Your home was billed at the commercial electric rate instead of the residential rate.",
        "Su vivienda se facturó con la tarifa eléctrica comercial en lugar de la residencial."),
    "meter multiplier entered as 1 instead of 10": (
        "The multiplier of your electric meter was recorded wrongly in our billing system.",
        "El multiplicador de su medidor eléctrico se registró mal en nuestro sistema de "
        "facturación."),
    "demand charge duplicated": (
        "The demand charge was applied twice on your bills.",
        "El cargo por demanda se aplicó dos veces en sus facturas."),
    "meter read transposed": (
        "Digits of your water meter readings were recorded in the wrong order.",
        "Los dígitos de las lecturas de su medidor de agua se registraron en el orden "
        "equivocado."),
    "irrigation tap billed twice": (
        "Your irrigation connection was billed twice.",
        "Su conexión de riego se facturó dos veces."),
    "wrong meter size on account": (
        "Your account was billed for a water meter of the wrong size.",
        "Su cuenta se facturó con un tamaño de medidor de agua equivocado."),
    "winter-quarter average not updated": (
        "Your wastewater charge was based on an old winter water-use average that was not "
        "updated.",
        "Su cargo de aguas residuales se calculó con un promedio antiguo de consumo de agua "
        "en invierno que no se actualizó."),
    "billed on irrigation use": (
        "Your wastewater charge included water used for irrigation, which does not go to the "
        "sewer.",
        "Su cargo de aguas residuales incluyó el agua usada para riego, que no va al "
        "alcantarillado."),
    "wrong lot area after re-plat": (
        "Your stormwater fee used the wrong lot area after your property was re-platted.",
        "Su tarifa de aguas pluviales usó una superficie de lote equivocada después de que se "
        "modificó el plano de su propiedad."),
    "run-off factor of wrong land use": (
        "Your stormwater fee used the runoff factor of another kind of land use than your "
        "property's.",
        "Su tarifa de aguas pluviales usó el factor de escorrentía de un uso del suelo distinto "
        "al de su propiedad."),
    "incorrect run-off factor applied since plat approval": (
        "Your stormwater fee was calculated with the wrong runoff factor for your lot from the "
        "time your subdivision plat was approved.",
        "Su tarifa de aguas pluviales se calculó con un factor de escorrentía equivocado para "
        "su lote desde que se aprobó el plano de su subdivisión."),
}


def cause_for(note: str, locale: str | None) -> str:
    english, spanish = CAUSES[note]
    return spanish if locale == "es_US" else english


RETURN_REASONS = ("Attach the customer's copies of the bills first.",
                  "Check the discovery date against the service order.",
                  "Periods before the move-in date should not be here.")
VOID_REASONS = ("Duplicate of another case.", "Opened on the wrong account.")


@dataclass(frozen=True, slots=True)
class DemoStep:
    action: Action
    actor: str
    reason: str | None = None
    #: the supervisor ticks "I reviewed the divergence" whenever the readings differ
    acknowledge_divergence: bool = False


@dataclass(frozen=True, slots=True)
class DemoCase:
    draft: CaseDraft
    prepared_by: str
    assignee: str | None = None
    notes: str = ""
    steps: tuple[DemoStep, ...] = ()


class DemoClock:
    """A clock for demo files: starts at ``start`` and moves ``step`` per reading, so the
    same demo is written with the same timestamps every time."""

    def __init__(self, start: datetime = datetime(2025, 1, 6, 15, 0, tzinfo=timezone.utc),
                 step: timedelta = timedelta(minutes=37)) -> None:
        self._next, self._step = start, step

    def __call__(self) -> datetime:
        now = self._next
        self._next += self._step
        return now


def _cents(n: int) -> Decimal:
    return Decimal(n).scaleb(-2)


def _month_start(first: date, k: int) -> date:
    """The first day of the month ``k`` months after ``first``'s month (plain arithmetic:
    ``relativedelta`` was most of the time of generating a million-case file)."""
    months = first.month - 1 + k
    return date(first.year + months // 12, months % 12 + 1, 1)


def _monthly_periods(first: date, months: int, billed: list[int], correct: list[int],
                     note: str | None) -> tuple[PeriodDraft, ...]:
    """Whole calendar months from ``first`` (the 1st of a month), billed 8 days after."""
    assert first.day == 1, first
    periods = []
    start = first
    for k in range(months):
        following = _month_start(first, k + 1)
        end = following - timedelta(days=1)
        periods.append(PeriodDraft(start, end, end + timedelta(days=8), _cents(billed[k]),
                                   _cents(correct[k]), note))
        start = following
    return tuple(periods)


def _address(rng: random.Random) -> str:
    return f"{rng.randint(100, 4999)} {rng.choice(STREETS)}, Fort Collins, CO {rng.choice(ZIPS)}"


def _account_number(rng: random.Random) -> str:
    return f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}-{rng.randint(10, 99)}"


def _customer(rng: random.Random, residential: bool = False) -> tuple[str, str]:
    """A customer name and the locale of their letters (a business now and then, unless
    the customer is ``residential``)."""
    if not residential and rng.random() < 0.08:
        return rng.choice(BUSINESSES), "en_US"
    last = rng.choice(LAST_NAMES)
    locale = "es_US" if last in SPANISH_NAMES and rng.random() < 0.5 else "en_US"
    if rng.random() < 0.1:
        a, b = rng.sample(FIRST_NAMES, 2)
        return f"{a[0]}. & {b[0]}. {last}", locale
    return f"{rng.choice(FIRST_NAMES)} {last}", locale


# -- the named cases -------------------------------------------------------------------

def stormwater_runoff_case(k: int) -> DemoCase:
    """Customer ``k`` (0..73) of the 2009 run-off-factor error: billed with the wrong
    factor from their plat approval until discovery on 2009-07-16 (at most the 72 bills
    Jul 2003-Jun 2009); the refunds spread from $42 to $850, as in the agenda item."""
    rng = random.Random(f"stormwater-2009:{k}")
    target_cents = 4200 + (85000 - 4200) * k // (STORMWATER_CUSTOMERS - 1)
    # the wrong factor overcharged each bill by $4.00-$11.81; the longer since plat
    # approval, the larger the total (72 bills Jul 2003-Jun 2009 at most)
    months = min(72, max(3, target_cents // rng.randint(400, 1181)))
    # 26-721(a)(1): of the Jul 2003 bill only the 16 days from 2003-07-16 are within six
    # years of the error being made known, so the refund, not the overcharge, is aimed
    refunded_months = Decimal(months) if months < 72 else Decimal(71) + Decimal(16) / 31
    over = int(round_half_up(Decimal(target_cents) / refunded_months, 0))
    correct = rng.randint(1400, 2400)
    first = date(2009, 7, 1) - relativedelta(months=months)
    name, locale = _customer(rng, residential=True)
    address = _address(rng)
    draft = CaseDraft(
        account=AccountDraft(f"620-{3300 + k:04d}-{rng.randint(10, 99)}", name, address,
                             address, locale, True),
        service=Service.STORMWATER,
        discovered_on=date(2009, 7, 16),
        evidence=Evidence(False, True, True, False),
        periods=_monthly_periods(first, months, [correct + over] * months, [correct] * months,
                                 "incorrect run-off factor applied since plat approval"),
        why="2009 stormwater run-off factor error (74 residential customers).",
        cause=cause_for("incorrect run-off factor applied since plat approval", locale),
    )
    return DemoCase(draft, prepared_by=CLERKS[k % len(CLERKS)], assignee=CLERKS[k % len(CLERKS)],
                    notes="Batch review of run-off factors, July 2009.")


def meter_failure_case() -> DemoCase:
    """A water meter that stopped registering in July 2009: only the base charge was
    billed; Sec. 26-119 estimates the use from July 2008 (9,300 gal in 31 days)."""
    rate_base, rate_per_kgal = Decimal("12.00"), Decimal("2.50")
    similar = (date(2008, 7, 1), date(2008, 7, 31))
    periods = []
    for start, end in ((date(2009, 6, 1), date(2009, 6, 30)), (date(2009, 7, 1), date(2009, 7, 31))):
        gallons = meter_failure_estimate(Decimal(9300), *similar, start, end)
        correct = round_half_up(rate_base + rate_per_kgal * gallons / 1000)
        periods.append(PeriodDraft(start, end, end + timedelta(days=8), rate_base, correct,
                                   f"meter registered 0 gal; 26-119 estimate {gallons} gal"))
    address = "412 W Olive St, Fort Collins, CO 80521"
    draft = CaseDraft(
        account=AccountDraft("100-2417-03", "Ingrid Ólafsdóttir", address, address, "en_US", True),
        service=Service.WATER, discovered_on=date(2009, 8, 12),
        evidence=Evidence(False, True, True, False), periods=tuple(periods),
        why="Failed water meter; charges re-computed under Sec. 26-119.",
        cause="Your water meter stopped registering, so only the base charge was billed; the "
              "use was estimated from the same month of the year before.")
    return DemoCase(draft, prepared_by="bnguyen", assignee="bnguyen",
                    notes="Meter replaced 2009-08-10 (work order 88213).",
                    steps=(DemoStep(Action.SUBMIT, "bnguyen"),))


def concealed_undercharge_case() -> DemoCase:
    """A customer who saw that one of two electric meters was not billed and said
    nothing for three years: concealment (26-721(b)); staff practice bills it."""
    months = 36
    address = "2210 S Timberline Rd, Fort Collins, CO 80525"
    draft = CaseDraft(
        account=AccountDraft("330-5120-77", "Robert Castañeda", address,
                             "PO Box 2291, Loveland, CO 80539", "en_US", True),
        service=Service.ELECTRIC, discovered_on=date(2014, 3, 18),
        evidence=Evidence(True, True, True, True),
        periods=_monthly_periods(date(2011, 3, 1), months, [6400] * months, [11850] * months,
                                 "second meter (shop building) never billed"),
        options=Options(undercharge_reading=Reading.STAFF_PRACTICE),
        why="Customer acknowledged knowing of the unbilled meter (letter of 2014-03-02).")
    return DemoCase(draft, prepared_by="cortiz", assignee="mwhitfield",
                    notes="Customer's letter scanned; refer to City Attorney re 26-721(b).",
                    steps=(DemoStep(Action.SUBMIT, "cortiz"),))


def former_customer_case() -> DemoCase:
    """An undercharge found after the customer moved out: (a)(2) reaches current
    customers only, so the back bill is a supervisor's referral."""
    draft = CaseDraft(
        account=AccountDraft("455-0071-09", "Zoë Dvořák", "215 N Mason St, Fort Collins, CO 80524",
                             "1630 Pearl St, Boulder, CO 80302", "en_US", False),
        service=Service.WASTEWATER, discovered_on=date(2016, 5, 3),
        evidence=Evidence(False, True, True, False),
        periods=_monthly_periods(date(2015, 9, 1), 6, [2100] * 6, [3350] * 6,
                                 "winter-quarter average not updated"),
        why="Account closed 2016-02-29; undercharge found at final audit.",
        cause="Your wastewater charge was based on an old winter water-use average that was "
              "not updated.")
    return DemoCase(draft, prepared_by="dpatel", notes="Forwarding address from final bill.")


SPECIAL_CASES = (meter_failure_case, concealed_undercharge_case, former_customer_case)


# -- ordinary cases ----------------------------------------------------------------------

def ordinary_case(seed: int, i: int) -> DemoCase:
    rng = random.Random(f"{seed}:{i}")
    service = rng.choice(tuple(Service))
    name, locale = _customer(rng)
    address = _address(rng)
    mailing = address if rng.random() < 0.85 else (
        f"PO Box {rng.randint(100, 9999)}, {rng.choice(('Fort Collins', 'Loveland', 'Wellington'))}, "
        f"CO {rng.choice(('80522', '80537', '80549'))}")
    account = AccountDraft(_account_number(rng), name, address, mailing, locale,
                           rng.random() > 0.06)
    preparer = rng.choice(CLERKS)
    if rng.random() < 0.05:  # just opened: no dates or periods yet
        return DemoCase(CaseDraft(account=account, service=service), prepared_by=preparer,
                        assignee=preparer, notes="Opened from a phone call; bills requested.")

    discovered = date(2009, 8, 1) + timedelta(days=rng.randint(0, 5800))
    months = rng.choice((1, 1, 2, 3, 3, 4, 6, 6, 9, 12, 12, 18, 24, 36, 60, 72, 80))
    first = date(discovered.year, discovered.month, 1) - relativedelta(months=months + rng.randint(0, 2))
    low, high = MONTHLY_CENTS[service]
    kind = rng.choices(("over", "under", "mixed", "none"), (45, 35, 15, 5))[0]
    billed, correct = [], []
    for _ in range(months):
        right = rng.randint(low, high)
        wrong = right + rng.randint(50, max(51, right // 3)) * (1 if kind != "under" else -1)
        if kind == "mixed":
            wrong = right + rng.randint(-right // 4, right // 4)
        if kind == "none":
            wrong = right
        billed.append(max(0, wrong))
        correct.append(right)
    evidence = rng.choice((
        Evidence(False, True, True, False),   # (a)(1) met: refund
        Evidence(False, True, True, False),
        Evidence(True, True, True, False),    # could have discovered
        Evidence(False, True, False, False),  # not confirmed
        Evidence(False, False, False, False),  # no documentation
        Evidence(True, True, True, True),     # concealed
    ))
    options = Options()
    if rng.random() < 0.12:
        options = Options(undercharge_reading=rng.choice(tuple(Reading)))
    elif rng.random() < 0.05:
        options = Options(occurred_basis=OccurredBasis.BILL_DATE)
    made_known = discovered - timedelta(days=rng.randint(1, 40)) if rng.random() < 0.2 else None
    note = rng.choice(ERROR_NOTES[service])
    draft = CaseDraft(
        account=account, service=service, discovered_on=discovered, made_known_on=made_known,
        evidence=evidence, options=options,
        periods=_monthly_periods(first, months, billed, correct, note),
        cause=cause_for(note, locale))

    roll = rng.random()
    steps: tuple[DemoStep, ...] = ()
    if roll < 0.10:
        steps = (DemoStep(Action.SUBMIT, preparer),)
        approver = _approver(draft, preparer)
        if approver is not None:
            steps += (DemoStep(Action.APPROVE, approver, acknowledge_divergence=True),)
    elif roll < 0.22:
        steps = (DemoStep(Action.SUBMIT, preparer),)
    elif roll < 0.30:
        steps = (DemoStep(Action.SUBMIT, preparer),
                 DemoStep(Action.RETURN, rng.choice(SUPERVISORS), rng.choice(RETURN_REASONS)))
    elif roll < 0.33:
        steps = (DemoStep(Action.VOID, rng.choice(SUPERVISORS), rng.choice(VOID_REASONS)),)
    assignee = None if roll > 0.9 else (rng.choice(SUPERVISORS) if steps and len(steps) == 1
                                       and steps[0].action is Action.SUBMIT else preparer)
    notes = rng.choice(("", "", "Customer called twice about this.",
                        "Bills copied from the archive.", "Landlord pays; tenant informed."))
    if account.current_customer is False and account.mailing_address == account.service_address:
        # a former customer has moved: their letter goes to the forwarding address from
        # their final bill (drawn last, so the rest of the case is as it always was)
        draft = replace(draft, account=replace(account, mailing_address=_forwarding(rng)))
    return DemoCase(draft, prepared_by=preparer, assignee=assignee, notes=notes, steps=steps)


def _forwarding(rng: random.Random) -> str:
    return (f"{rng.randint(100, 9999)} {rng.choice(('Maple', 'Cedar', 'Aspen', 'Spruce'))} St, "
            f"{rng.choice(('Denver, CO 80203', 'Boulder, CO 80302', 'Cheyenne, WY 82001'))}")


def _approver(draft: CaseDraft, preparer: str) -> str | None:
    """The first supervisor the rules let approve the case (its limit covers it), if any."""
    determination = determine(draft.check().case)
    return next((u.login for u in DEMO_USERS if u.role is Role.SUPERVISOR and may_approve(
        Actor(u.login, u.role, u.approval_limit), prepared_by=preparer, last_edited_by=preparer,
        submitted_by=preparer, determination=determination) is None), None)


def demo_case(i: int, seed: int = DEFAULT_SEED) -> DemoCase:
    """Case ``i`` of the demo set: the three special cases first, then the stormwater
    customers alternating with ordinary cases, then ordinary cases."""
    if i < len(SPECIAL_CASES):
        return SPECIAL_CASES[i]()
    j = i - len(SPECIAL_CASES)
    if j < 2 * STORMWATER_CUSTOMERS and j % 2 == 0:
        return stormwater_runoff_case(j // 2)
    return ordinary_case(seed, i)


def demo_cases(count: int, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[DemoCase]:
    for i in range(start, start + count):
        yield demo_case(i, seed)
