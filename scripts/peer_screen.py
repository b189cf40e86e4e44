#!/usr/bin/env python3
"""The peer of `ai-diffusion bench screen`: the licence policy of the AI Diffusion Framework as
written (ai-diffusion-2025 regime, rows dated 2025-01-13 or later), hand-written in plain CPython
with dict look-ups from shared/spec/screening.md §2-§3 and §5, decided in file order with the
running balances (LPP per parent and year, country allocations, installed bases for UVEU/NVEU).

It reads the same synthetic rows as the Swift engine and the rule *data* the engine exports (item
figures, country sets by period, cap numbers: `--inputs`), never the engine's decisions. It
classifies each item itself (§2) and decides each row (§3), then prints one JSON line: rows, the
median time of the decision loop over rows already in memory (CSV parsing is not timed, as for the
engine), and a SHA-256 of every row's outcome so that the engine can check that both agree.

Usage: peer_screen.py --inputs inputs.json [--passes 3] rows.csv
Not covered (the synthetic rows have none): end uses (red flag 28), exporter countries, custom items.
"""
import argparse
import bisect
import csv
import datetime
import hashlib
import json
import statistics
import time


def classify(item):
    """ECCN under the 2023 prongs (screening.md §2): 3A090.a, 3A090.b or not-3A090."""
    tpp, area, datacenter = item["tpp"], item.get("die_area_mm2"), item["datacenter"]
    pd = tpp / area if area else None
    if not datacenter:
        return "3A090.a" if tpp >= 4800 else "not-3A090"
    if tpp >= 4800 or (pd is not None and tpp >= 1600 and pd >= 5.92):
        return "3A090.a"
    if pd is not None and ((2400 <= tpp < 4800 and 1.6 <= pd < 5.92) or (tpp >= 1600 and 3.2 <= pd < 5.92)):
        return "3A090.b"
    return "not-3A090"


def milli(text):
    """Decimal text to integer thousandths (TPP amounts are exact thousandths, as in the engine)."""
    whole, _, fraction = text.partition(".")
    return int(whole) * 1000 + int((fraction + "000")[:3] or 0)


def load(inputs_path, rows_path):
    with open(inputs_path) as f:
        inputs = json.load(f)
    items = {}
    for name, figures in inputs["items"].items():
        figures = dict(figures)
        figures["tpp_milli"] = milli(figures["tpp_text"])
        figures["eccn"] = classify(figures)
        items[name] = figures
    rows = []
    with open(rows_path, newline="") as f:
        for r in csv.DictReader(f):
            rows.append((r["id"], r["date"], r["item"], int(r["quantity"]), r["destination"], r["consignee_hq"],
                         r.get("ultimate_parent") or r["consignee"], r.get("veu", "").upper()))
    return inputs, items, rows


def decide_all(inputs, items, rows):
    """Every row in file order; returns the outcome lines (authorization, policy, debit)."""
    periods = inputs["periods"]
    starts = [p["from"] for p in periods]
    sets = [{name: frozenset(members) for name, members in p["sets"].items()} for p in periods]
    caps = inputs["caps"]
    lpp_limit = caps["lpp_limit_milli"]
    allocation_limit = caps["allocation_limit_milli"]
    window_from, window_through = caps["allocation_window"]
    factor = caps["supp5b_factor"]
    out_t1, single, out_us = caps["uveu_outside_tier1"], caps["uveu_single_country"], caps["uveu_outside_us"]
    schedule = [(q, v) for q, v in caps["nveu_schedule"]]
    lpp_used, allocation_used = {}, {}
    bases = {}  # parent -> {country: milli}
    out = []
    append = out.append
    for (row_id, date, item_name, quantity, dest, hq, parent, veu) in rows:
        s = sets[bisect.bisect_right(starts, date) - 1]
        tier1, tier3 = s["tier1"], s["tier3"]
        item = items[item_name]
        eccn = item["eccn"]
        total = item["tpp_milli"] * quantity
        auth, policy, debit = "NLR", None, None
        if dest in s["embargoed"]:
            auth, policy = "LICENSE", "policy_of_denial"
        elif eccn == "3A090.a" and item["datacenter"]:
            if dest in tier3 or hq in tier3:
                auth, policy = "LICENSE", "presumption_of_denial"
            elif dest in tier1 and hq in tier1:
                auth = "AIA"
            else:
                decided = False
                if veu == "UVEU" and hq in tier1:
                    base = bases.get(parent, {})
                    whole = sum(base.values()) + total
                    outside = sum(v for c, v in base.items() if c not in tier1) + (0 if dest in tier1 else total)
                    ok = outside / whole <= out_t1
                    if dest not in tier1:
                        ok = ok and (base.get(dest, 0) + total) / whole <= single
                    if hq == "US":
                        in_us = base.get("US", 0) + (total if dest == "US" else 0)
                        ok = ok and (whole - in_us) / whole <= out_us
                    if ok:
                        auth, debit, decided = "UVEU", ("uveu/%s/%s" % (parent, dest), total), True
                if not decided and veu == "NVEU":
                    quarter = "%sQ%d" % (date[:4], (int(date[5:7]) - 1) // 3 + 1)
                    permitted = schedule[0][1]
                    for q, value in schedule:
                        if q <= quarter:
                            permitted = value
                    if bases.get(parent, {}).get(dest, 0) + total <= permitted:
                        auth, debit, decided = "NVEU", ("nveu/%s/%s" % (parent, dest), total), True
                if not decided:
                    key = (parent, date[:4])
                    used = lpp_used.get(key, 0)
                    if used + total <= lpp_limit:
                        lpp_used[key] = used + total
                        auth, debit = "LPP", ("lpp/%s/%s" % (parent, date[:4]), total)
                    elif dest in tier1 or hq in tier1:
                        auth, policy = "LICENSE", "presumption_of_approval"
                    elif not (window_from <= date <= window_through):
                        auth, policy = "LICENSE", "case_by_case"
                    else:
                        limit = allocation_limit * factor if dest in s["supp5b"] else allocation_limit
                        used = allocation_used.get(dest, 0)
                        if used + total <= limit:
                            allocation_used[dest] = used + total
                            auth, policy, debit = "LICENSE", "presumption_of_approval", ("country_allocation/" + dest, total)
                        else:
                            auth, policy = "LICENSE", "policy_of_denial"
        elif eccn == "3A090.a" or eccn == "3A090.b":
            if dest in tier3 or hq in tier3:
                auth = "NAC"
            elif eccn == "3A090.a" or dest in s["aca_b_destinations"]:
                auth = "ACA"
        if eccn == "3A090.a" and policy not in ("presumption_of_denial", "policy_of_denial"):
            base = bases.get(parent)
            if base is None:
                base = bases[parent] = {}
            base[dest] = base.get(dest, 0) + total
        append((auth, policy, debit))
    return out


def digest(outcomes):
    h = hashlib.sha256()
    for auth, policy, debit in outcomes:
        h.update(("%s|%s|%s|%s\n" % (auth, policy or "", debit[0] if debit else "", debit[1] if debit else "")).encode())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("rows")
    args = parser.parse_args()
    inputs, items, rows = load(args.inputs, args.rows)
    times = []
    outcomes = None
    for _ in range(max(1, args.passes)):
        start = time.perf_counter()
        outcomes = decide_all(inputs, items, rows)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    by_authorization = {}
    for auth, _, _ in outcomes:
        by_authorization[auth] = by_authorization.get(auth, 0) + 1
    print(json.dumps({"rows": len(rows), "seconds": seconds, "runs": times, "rate": len(rows) / seconds,
                      "digest": digest(outcomes), "by_authorization": by_authorization}, sort_keys=True))


if __name__ == "__main__":
    main()
