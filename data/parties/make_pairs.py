#!/usr/bin/env python3
"""Builds data/parties/labelled-pairs.csv from the sample lists in data/parties/lists/.

Deterministic: every choice is a hash of the entry and the kind of pair, so the same lists give
the same file byte for byte. Run from the repository root:  python3 data/parties/make_pairs.py
How each kind of pair is made: data/parties/README.md.
"""
import csv
import hashlib
import os
import re

LISTS = "data/parties/lists"
OUT = "data/parties/labelled-pairs.csv"
HAND = "data/parties/hand-pairs.csv"

# Legal-form spellings swapped for `legal_form` pairs (written forms, both directions).
LEGAL_SWAPS = [
    ("Co., Ltd.", "Company Limited"), ("Co. Ltd.", "Company Limited"), ("Co., Ltd", "Company Limited"),
    ("Company Limited", "Co., Ltd."), ("Limited", "Ltd."), ("Ltd.", "Limited"), ("Ltd", "Limited"),
    ("Corporation", "Corp."), ("Corp.", "Corporation"), ("Inc.", "Incorporated"), ("LLC", "L.L.C."),
    ("Co.", "Company"), ("Company", "Co."), ("GmbH", "G.m.b.H."), ("S.A.", "SA"), ("FZE", "F.Z.E."),
    ("JSC", "Joint Stock Company"), ("PLC", "Public Limited Company"),
]
LEGAL_WORDS = {"co", "company", "ltd", "limited", "corp", "corporation", "inc", "incorporated", "llc", "gmbh", "sa",
               "fze", "jsc", "plc", "pte", "pvt", "ag", "bv", "sarl", "srl", "spa", "llp", "lp", "fzco", "oao", "ooo", "zao",
               "aktsionernoe", "obshchestvo", "ao", "pao", "ojsc", "cjsc", "liability"}  # Russian legal-form words stay in place
# Words that mark a company in a name without a type (the DPL).
COMPANY_WORDS = {"airlines", "airline", "trading", "company", "group", "technology", "technologies", "solutions", "international",
                 "industries", "industrial", "logistics", "services", "shipping", "aviation", "enterprises", "systems", "electronics",
                 "engineering", "export", "import", "freight", "cargo", "global", "holdings", "general", "corporation"}
# Transliteration variants (one rule applied to one word).
TRANSLIT = [
    ("mohammed", "muhammad"), ("mohammad", "muhammad"), ("muhammad", "mohammed"), ("mohamed", "muhammad"),
    ("ahmed", "ahmad"), ("ahmad", "ahmed"), ("hussein", "husayn"), ("hussain", "husain"), ("abdul", "abdel"),
    ("abdel", "abdul"), ("yousef", "yusuf"), ("youssef", "yusuf"), ("yusuf", "yousef"), ("ali", "aly"),
    ("khalil", "halil"), ("kh", "h"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ph", "f"), ("sh", "sch"),
    ("zh", "j"), ("iy", "ii"), ("y", "i"), ("q", "k"), ("w", "v"), ("ck", "k"), ("x", "ks"), ("tch", "ch"),
]
# Generic names made of common words, paired with an entry sharing a word (negatives).
COMMON = [
    "International Trading Co., Ltd.", "Global Logistics LLC", "Technology Development Company Limited",
    "General Trading LLC", "Import and Export Company", "Electronics Trading Limited", "Shipping and Logistics Co.",
    "Industrial Group Corporation", "Research Institute", "Engineering Services Ltd.", "Aviation Services Company",
    "Trading Company", "Science and Technology Co., Ltd.", "Holdings Limited", "Investment Co., Ltd.",
    "Gulf Trading LLC", "China Technology Group", "Middle East Trading FZE", "Consulting and Logistics",
    "Marine Services Ltd.", "Petroleum Trading Company", "Machinery Import Export", "Advanced Materials Co.",
    "Precision Instruments Ltd.", "Defense Technology Company",
]
# Real companies not on these lists, paired with the entry closest to them (negatives).
UNRELATED = [
    "Samsung Electronics Co., Ltd.", "Taiwan Semiconductor Manufacturing Company Limited", "Lenovo Group Limited",
    "Infosys Limited", "Yotta Data Services Private Limited", "King Abdullah University of Science and Technology",
    "Technology Innovation Institute", "Nscale Global Holdings Ltd.", "Alem Cloud", "Naver Cloud Corporation",
    "SoftBank Corp.", "Reliance Jio Infocomm Limited", "Emirates Shipping Line FZE", "Gulf Air Company",
    "Rosatom State Corporation", "China Mobile Communications Group Co., Ltd.", "Sinopec Group", "Tata Consultancy Services",
    "Hon Hai Precision Industry Co., Ltd.", "Kuehne + Nagel International AG", "Maersk Line A/S",
    "Dubai Aluminium Company Limited", "Turkish Airlines Inc.", "Petronas Chemicals Group Berhad",
    "Singapore Technologies Engineering Ltd.", "Hebei Iron and Steel Group", "Shijiazhuang Pharmaceutical Group",
    "Armenian Railways CJSC", "Yerevan Computer Research Institute", "Kowloon Motor Bus Company",
    "Antalya Airport Services", "Abu Dhabi National Oil Company", "Istanbul Technical University",
    "Cape Town Logistics (Pty) Ltd", "Fredrikstad Energi AS", "Nicosia Trading Limited", "Geneva Commodities SA",
    "Moscow Exchange PJSC", "Tehran Stock Exchange", "Guangzhou Automobile Group Co., Ltd.",
]


def h(*parts):
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16)


def split_multi(text):
    out = []
    for part in text.split(";"):
        item = part.strip()
        if item.lower().startswith("and "):
            item = item[4:].strip()
        if item:
            out.append(item)
    return out


def words(name):
    return re.findall(r"[A-Za-z0-9\u00C0-\uFFFF'.&-]+", name)


def core_tokens(name):
    return [w for w in re.findall(r"[a-z0-9]+", name.lower().replace(".", "").replace("'", "")) if w not in LEGAL_WORDS]


def load():
    entries = []
    for file in sorted(os.listdir(LISTS)):
        path = f"{LISTS}/{file}"
        if file.endswith(".tsv"):
            rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))
            for i, r in enumerate(rows, 1):
                if i % 3 != 1:
                    continue  # a third of the DPL: individuals would otherwise dominate the set
                name = r["Name"].strip()
                # The DPL has no type column: a person has 2-4 words, no digits and no company words.
                person = 2 <= len(name.split()) <= 4 and not re.search(r"\d", name) and not set(core_tokens(name)) & COMPANY_WORDS \
                    and len(core_tokens(name)) == len(re.findall(r"[a-z0-9]+", name.lower().replace(".", "")))
                entries.append(dict(file=path, row=i, name=name, aliases=[], country=r["Country"], list="dpl", individual=person))
        elif file.endswith(".csv"):
            rows = list(csv.DictReader(open(path, encoding="utf-8")))
            for i, r in enumerate(rows, 1):
                address = split_multi(r["addresses"])
                country = address[-1].split(",")[-1].strip() if address else ""
                entries.append(dict(file=path, row=i, name=r["name"].strip(), aliases=split_multi(r["alt_names"]),
                                    country=country if re.fullmatch(r"[A-Z]{2}", country or "") else "",
                                    list=r["source"], individual=r["type"] == "Individual"))
    return entries


def typo(name, seed):
    ws = words(name)
    candidates = [i for i, w in enumerate(ws) if len(re.sub(r"[^A-Za-z]", "", w)) >= 5 and w.lower().strip(".") not in LEGAL_WORDS]
    if not candidates:
        return None
    i = max(candidates, key=lambda k: (len(ws[k]), -k))
    w = ws[i]
    letters = [k for k in range(1, len(w)) if w[k].isalpha()]
    k = letters[seed % len(letters)]
    kind = (seed // 7) % 4
    if kind == 0:
        repl = "etaoinshrdlucmfwyp"[(seed // 3) % 18]
        if repl == w[k].lower():
            repl = "x"
        new = w[:k] + (repl.upper() if w[k].isupper() else repl) + w[k + 1:]
    elif kind == 1:
        new = w[:k] + w[k + 1:]
    elif kind == 2:
        new = w[:k] + w[k] + w[k:]
    else:
        k = min(k, len(w) - 2)
        new = w[:k] + w[k + 1] + w[k] + w[k + 2:] if w[k] != w[k + 1] else w[:k] + w[k + 1:]
    return name.replace(w, new, 1) if new != w else None


def legal_form(name):
    for a, b in LEGAL_SWAPS:
        pattern = r"(?<![A-Za-z])" + re.escape(a) + r"(?![A-Za-z])"
        if re.search(pattern, name):
            return re.sub(pattern, b, name, count=1)
    return None


def legal_dropped(name):
    stripped = re.sub(r"[,\s]+(Co\.,? Ltd\.?|Company Limited|Limited|Ltd\.?|LLC|Inc\.?|Corporation|Corp\.|GmbH|Co\.|FZE|S\.A\.)\s*$", "", name)
    return stripped if stripped != name and core_tokens(stripped) else None


def word_order(name, individual):
    if "," in name and individual:
        last, first = name.split(",", 1)
        return f"{first.strip()} {last.strip()}"
    ws = name.split()
    core = [i for i, w in enumerate(ws) if w.lower().strip(".,") not in LEGAL_WORDS]
    if len(core) < 2:
        return None
    a, b = core[0], core[-1]
    ws[a], ws[b] = ws[b], ws[a]
    out = " ".join(ws)
    return out if out != name else None


def transliteration(name):
    ws = name.split()
    for src, dst in TRANSLIT:
        for i, w in enumerate(ws):
            lw = w.lower()
            if len(src) > 2 and lw.strip(".,") == src:
                ws[i] = dst.capitalize() if w[0].isupper() else dst
                return " ".join(ws)
        for i, w in enumerate(ws):
            lw = w.lower()
            if len(src) <= 3 and src in lw[1:] and len(lw) >= 5 and lw.strip(".,") not in LEGAL_WORDS:
                k = lw.index(src, 1)
                ws[i] = w[:k] + dst + w[k + len(src):]
                return " ".join(ws)
    return None


def spacing(name):
    if re.search(r"[A-Za-z]\.[A-Za-z]\.", name):
        return re.sub(r"(?<=[A-Za-z])\.(?=[A-Za-z])", "", name)
    ws = name.split()
    for i in range(len(ws) - 1):
        if ws[i].isalpha() and ws[i + 1].isalpha() and 2 <= len(ws[i]) <= 5 and 2 <= len(ws[i + 1]) <= 6 \
                and ws[i].lower() not in LEGAL_WORDS and ws[i + 1].lower() not in LEGAL_WORDS:
            return " ".join(ws[:i] + [ws[i] + ws[i + 1].lower()] + ws[i + 2:])
    if "-" in name:
        return name.replace("-", " ")
    return None


def case(name, seed):
    return [name.upper(), name.lower(), name.title()][seed % 3] if name.upper() != name else name.title()


def overlap(a, b):
    ta, tb = set(core_tokens(a)), set(core_tokens(b))
    return len(ta & tb) / max(1, len(ta | tb))


def main():
    entries = load()
    pool = sorted({t for e in entries for t in core_tokens(e["name"]) if len(t) >= 5 and t.isalpha()})
    frequency = {}
    for e in entries:
        for t in set(core_tokens(e["name"])):
            frequency[t] = frequency.get(t, 0) + 1
    pairs = []

    def add(kind, query, entry, label, note="", country=None):
        if not query or not core_tokens(query):
            return
        key = f"{entry['file']}#{entry['row']}"
        split = "tune" if h("split", key) % 2 == 0 else "heldout"
        pairs.append([kind, query, entry["country"] if country is None else country, entry["file"], entry["row"], label, note, split])

    for e in entries:
        name, key = e["name"], f"{e['file']}#{e['row']}"
        s = h(key)
        add("case", case(name, s), e, 1)
        add("typo", typo(name, s), e, 1)
        add("word_order", word_order(name, e["individual"]), e, 1)
        add("legal_form", legal_form(name), e, 1)
        add("legal_form_dropped", legal_dropped(name), e, 1)
        add("transliteration", transliteration(name), e, 1)
        add("spacing_punctuation", spacing(name), e, 1)
        for alias in e["aliases"][:3]:
            add("alias", alias, e, 1, "alt_names")
        variant = legal_form(name) or name
        add("combined", case(word_order(variant, e["individual"]) or variant, s + 1), e, 1, "case + word order + legal form")
        # Negatives: the most distinctive word replaced by another list word of similar length.
        toks = core_tokens(name)
        distinctive = [t for t in toks if t.isalpha() and len(t) >= 4]
        if len(toks) >= 2 and e["individual"]:
            # A different person: same given names, another surname from the lists.
            surname = toks[-1] if "," not in name else toks[0]
            options = [p for p in pool if p != surname and p[0] != surname[0] and abs(len(p) - len(surname)) <= 3]
            if options and surname.isalpha():
                repl = options[h("person", key) % len(options)]
                query = re.sub(r"(?i)\b" + re.escape(surname) + r"\b", repl.upper() if name.isupper() else repl.capitalize(), name, count=1)
                if core_tokens(query) == core_tokens(name):
                    continue  # the surname is not written as a plain word (QAR'AWI): no different person made
                add("similar_person", query, e, 0, f"surname '{surname}' replaced by '{repl}'")
        if 2 <= len(toks) <= 5 and distinctive and not e["individual"]:
            target = min(distinctive, key=lambda t: (frequency.get(t, 0), -len(t), t))
            options = [p for p in pool if abs(len(p) - len(target)) <= 2 and p != target and p[0] != target[0]]
            if options:
                repl = options[h("swap", key) % len(options)]
                query = re.sub(re.escape(target), repl.capitalize(), name, count=1, flags=re.IGNORECASE)
                add("similar_company", query, e, 0, f"'{target}' replaced by '{repl}'")
    # Nearest different entries (different parties with similar names).
    companies = [e for e in entries if not e["individual"]]
    for e in companies:
        best = max((o for o in companies if o is not e and o["name"] != e["name"]),
                   key=lambda o: (overlap(e["name"], o["name"]), -h(o["file"], str(o["row"]))))
        a, b = set(core_tokens(e["name"])), set(core_tokens(best["name"]))
        # One name inside the other is a trade name or branch of the same party (DPL: "WEARFORM (MNC GROUP ...)"): not a negative.
        if overlap(e["name"], best["name"]) > 0 and not (a <= b or b <= a):
            add("nearest_other_entry", e["name"], best, 0, f"different entry {e['file']}#{e['row']}", country=e["country"])
    for text in COMMON + UNRELATED:
        kind = "common_words" if text in COMMON else "unrelated_company"
        best = max(entries, key=lambda o: (overlap(text, o["name"]), -h(text, o["file"], str(o["row"]))))
        add(kind, text, best, 0, "nearest entry by shared words")
    if os.path.exists(HAND):
        by_key = {f"{e['file']}#{e['row']}": e for e in entries}
        for r in csv.DictReader(open(HAND, encoding="utf-8")):
            e = by_key.get(f"{LISTS}/{r['list_file']}#{r['row']}")
            if e is None:  # hand pairs may name DPL rows outside the sampled third
                e = dict(file=f"{LISTS}/{r['list_file']}", row=int(r["row"]), country="", name="")
            add(r["kind"], r["query"], e, int(r["label"]), r["note"], country=r["query_country"])
    seen = set()
    with open(OUT, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["pair_id", "split", "kind", "query", "query_country", "list_file", "row", "label", "note"])
        n = 0
        for kind, query, country, file, row, label, note, split in pairs:
            if (query, file, row) in seen:
                continue
            seen.add((query, file, row))
            n += 1
            w.writerow([f"P{n:04d}", split, kind, query, country, os.path.basename(file), row, label, note])
    print(f"{n} pairs written to {OUT}")


if __name__ == "__main__":
    main()
