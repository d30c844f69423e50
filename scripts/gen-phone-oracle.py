#!/usr/bin/env python3
"""Writes Tests/LeadSyncTests/Fixtures/phone_oracle.tsv: numbers of every region libphonenumber
knows, typed the ways people type them, with what libphonenumber (the Python port, the same
version as the table) answers for them. The shared phone_cases.tsv covers 21 regions; this file
checks the generated table generalises to all of them. Columns as phone_cases.tsv."""
import os, random
import phonenumbers as p
from phonenumbers import PhoneNumberType as T, PhoneNumberFormat as F

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "Tests", "LeadSyncTests", "Fixtures", "phone_oracle.tsv")
rng = random.Random(20261122)
regions = sorted(p.SUPPORTED_REGIONS)

def expected(raw, region):
    try:
        n = p.parse(raw, region)
    except p.NumberParseException:
        return "", ""
    if not p.is_possible_number(n):
        return "", ""
    return p.format_number(n, F.E164), n.extension or ""

rows = set()
for region in regions:
    for t in (T.FIXED_LINE, T.MOBILE, T.TOLL_FREE):
        ex = p.example_number_for_type(region, t)
        if ex is None:
            continue
        national = p.format_number(ex, F.NATIONAL)
        intl = p.format_number(ex, F.INTERNATIONAL)
        e164 = p.format_number(ex, F.E164)
        digits = "".join(c for c in national if c.isdigit())
        variants = [national, intl, e164, "00" + e164[1:], intl.replace(" ", "-"), "tel:" + e164,
                    "(" + national + ")", national + " ext. " + str(rng.randint(10, 9999)), digits,
                    digits[:-2], e164 + "12345"]
        other = rng.choice(regions)
        for v in variants:
            for default in (region, other):
                rows.add((v, default))
# Numbers typed with only digits and ` +-().`/`: the parser's fast path for these skips the
# regexes, so they get thousands of random shapes (leading, trailing and inner punctuation, plus
# signs anywhere, too short, too long, national and international prefixes).
punct = " -()./+"
simple_regions = ["DE", "AT", "CH", "US", "GB", "FR", "IT", "NL", "AU", "BR", "IN", "JP", "AR", "MX", "RU"]
for _ in range(6000):
    region = rng.choice(simple_regions)
    if rng.random() < 0.7:
        ex = p.example_number_for_type(rng.choice(simple_regions), rng.choice((T.FIXED_LINE, T.MOBILE)))
        digits = rng.choice([p.format_number(ex, F.NATIONAL), p.format_number(ex, F.E164), "00" + p.format_number(ex, F.E164)[1:]])
        digits = "".join(c for c in digits if c.isdigit() or c == "+")
        digits = digits[:rng.randint(max(1, len(digits) - 4), len(digits) + 1)] + "".join(rng.choice("0123456789") for _ in range(rng.choice((0, 0, 0, 1, 3))))
    else:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 18)))
    chars = list(digits)
    for _ in range(rng.randint(0, 6)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(punct))
    rows.add(("".join(chars), region))

lines = ["raw\tdefault_region\te164\textension"]
for raw, region in sorted(rows):
    e, x = expected(raw, region)
    lines.append("\t".join([raw, region, e, x]))
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
print(len(lines) - 1, "cases over", len(regions), "regions, libphonenumber", p.__version__)
