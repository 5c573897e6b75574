"""Deterministic demo cases for benchmarks: realistic customers (names with accents,
unique accounts, names and street addresses), 1 to 14 monthly periods (a few with up
to 72), over- and undercharges, the evidence and readings mixed. Same seed, same cases."""

from __future__ import annotations

import random
from datetime import date
from typing import Iterator

from dateutil.relativedelta import relativedelta

from billing_desk.domain.case import Case
from billing_desk.domain.caseformat import parse_case
from billing_desk.domain.determination import Outcome
from billing_desk.domain.rulepacks import determine

FIRST = ("Pat", "María", "José", "Ana", "Nguyễn", "Linh", "Søren", "Zoë", "Renée", "Łukasz",
         "Chloé", "Andrés", "Begoña", "Jürgen", "Siobhán", "Thảo", "Ximena", "Ángel",
         "Darnell", "Keisha", "Hamid", "Fatima", "Olga", "Dmitri", "Grace", "Tom", "Ines",
         "Rosa", "Luis", "Carmen", "Emily", "James", "Noah", "Aiyana", "Kai", "Mai")
LAST = ("Example", "Peña", "Müller", "Nguyễn", "Trần", "García", "López", "Núñez", "Okafor",
        "Blake", "Ibáñez", "Østergaard", "Zieliński", "O'Brien", "Castañeda", "Smith",
        "Johnson", "Williams", "Brown", "Jones", "Martínez", "Hernández", "Lê", "Phạm",
        "Dvořák", "Kowalczyk", "Yilmaz", "Begay", "Yazzie", "Fernández", "Robinson", "Kim")
STREETS = ("Mason St", "College Ave", "Laporte Ave", "Mountain Ave", "Peterson St",
           "Shields St", "Drake Rd", "Prospect Rd", "Timberline Rd", "Lemay Ave",
           "Harmony Rd", "Horsetooth Rd", "Taft Hill Rd", "Mulberry St", "Elizabeth St",
           "Remington St", "Whedbee St", "Loomis Ave", "Cañon Dr", "Peña Ct")
ZIPS = ("80521", "80524", "80525", "80526", "80528")
SERVICES = ("electric", "water", "wastewater", "stormwater")
READINGS = ("ordinance",) * 18 + ("executive_summary", "staff_practice")


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def demo_case_json(rng: random.Random, serial: int) -> dict:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    # the serial makes names, accounts and street addresses unique across the run
    name = f"{first} {chr(65 + serial % 26)}. {last} {serial:05d}"
    house = 100 + serial
    street = f"{house} {rng.choice(('N', 'S', 'E', 'W'))} {rng.choice(STREETS)}"
    zip_code = rng.choice(ZIPS)
    mailing = f"{street}, Fort Collins, CO {zip_code}"
    if rng.random() < 0.15:
        mailing = f"PO Box {1000 + serial}, Fort Collins, CO {zip_code}"
    n = rng.choice((1, 2, 3, 3, 4, 6, 6, 12, 12, 14)) if rng.random() > 0.02 else 72
    start = date(rng.randint(2002, 2012), rng.randint(1, 12), 1)
    under = rng.random() < 0.45
    mixed = rng.random() < 0.1
    periods = []
    for i in range(n):
        s = start + relativedelta(months=i)
        e = s + relativedelta(months=1, days=-1)
        correct = rng.randint(2000, 40000)
        diff = rng.randint(1, 6000)
        sign = -1 if (under if not mixed else i % 2) else 1
        billed = max(0, correct + sign * diff)
        periods.append({"start": s.isoformat(), "end": e.isoformat(),
                        "billed": _money(billed), "correct": _money(correct)})
    last_end = start + relativedelta(months=n)
    discovered = last_end + relativedelta(days=rng.randint(5, 400))
    could = rng.random() < 0.1
    concealed = could and rng.random() < 0.3
    documented = rng.random() < 0.97
    return {
        "format": "billing-desk/case@1", "rule_pack": "fort-collins-26-721",
        "options": {"undercharge_reading": rng.choice(READINGS)},
        "account": {"number": f"{300 + serial % 700:03d}-{serial:04d}-{rng.randint(0, 99):02d}",
                    "customer_name": name, "service_address": f"{street}, Fort Collins, CO",
                    "mailing_address": mailing,
                    "locale": "es_US" if rng.random() < 0.3 else "en_US",
                    "current_customer": rng.random() > 0.05},
        "service": rng.choice(SERVICES), "currency": "USD",
        "discovered_on": discovered.isoformat(),
        "evidence": {"customer_could_have_discovered": could,
                     "documentation_available": documented,
                     "documentation_confirmed": documented and rng.random() < 0.95,
                     "customer_concealed_error": concealed},
        "periods": periods,
    }


def demo_cases(count: int, seed: int = 26721,
               with_memo: bool = True) -> Iterator[tuple[int, Case]]:
    """``count`` valid cases, each with its serial (0-based). With ``with_memo`` every
    case has something to credit or back-bill (a letter and at least one memo), as in
    the issue's batch of "letter + memo each"; a case with nothing to post is drawn
    again."""
    rng = random.Random(seed)
    for serial in range(count):
        while True:
            case = parse_case(demo_case_json(rng, serial))
            if not with_memo or determine(case).outcome is not Outcome.NO_ADJUSTMENT:
                break
        yield serial, case
