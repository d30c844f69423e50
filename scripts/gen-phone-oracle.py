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
lines = ["raw\tdefault_region\te164\textension"]
for raw, region in sorted(rows):
    e, x = expected(raw, region)
    lines.append("\t".join([raw, region, e, x]))
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
print(len(lines) - 1, "cases over", len(regions), "regions, libphonenumber", p.__version__)
