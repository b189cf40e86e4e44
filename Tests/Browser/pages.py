#!/usr/bin/env python3
"""Browser test of the dashboard's pages, rendered statically by `dashboard-samples`.

    .build/debug/dashboard-samples --out /tmp/pages
    python3 Tests/Browser/pages.py --root /tmp/pages --screenshots /tmp/shots

Serves ROOT over HTTP on 127.0.0.1, opens every page in headless chromium at 1280x800 and checks
what a user sees: visible text and figures, chart bars, forms that can be filled, labels, CSRF
fields, no console error (SEVERE log entry) and no alert on any page, escaping of hostile text, and
what a printout hides. Figures are checked against the public cases' expected determinations
(Tests/Fixtures/cases/deals-public.expected.ai-diffusion-2025.jsonl), not against the program's
own output. Saves a screenshot per page (and print views, PDFs) in --screenshots. Exit 1 on any
failure; chromium missing is a failure, not a skip.
"""
import argparse
import functools
import http.server
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import plain, start, table_pairs, text  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXPECTED = os.path.join(REPO, "Tests/Fixtures/cases/deals-public.expected.ai-diffusion-2025.jsonl")
HOSTILE = "<script>alert(\"xss\")</script> & \"quoted\" 'apostrophe' <b>bold</b>"


def serve(root):
    handler = functools.partial(QuietHandler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def expected_rows():
    with open(EXPECTED) as f:
        return {row["id"]: row for row in map(json.loads, f)}


def holds_page(c, base, expected):
    d = c.driver
    c.load(base + "/holds-all/", "Holds")
    c.expect(text(d, "[data-testid=user-name]") == "ana.officer", "signed-in token name shown")
    c.expect(text(d, "[data-testid=user-role]") == "officer", "role shown")
    nav = [a.text for a in d.find_elements(By.CSS_SELECTOR, ".topbar nav a")]
    c.expect(nav == ["Holds", "Cap balances", "Rules", "Simulator"], f"nav bar {nav}")
    rows = d.find_elements(By.CSS_SELECTOR, "#holds-table tbody tr")
    shown = {r.find_elements(By.CSS_SELECTOR, "td")[2].text.split()[0]: r for r in rows}
    for row_id, row in expected.items():
        if row["license_required"]:
            c.expect(row_id in shown, f"licence-required row {row_id} is a hold")
            if row_id in shown:
                cells = [td.text for td in shown[row_id].find_elements(By.CSS_SELECTOR, "td")]
                c.expect(cells[8] == plain(row["tpp_total"]), f"{row_id} TPP total {cells[8]} == {plain(row['tpp_total'])}")
                c.expect(cells[9] == row["review_policy"], f"{row_id} review policy {cells[9]}")
        else:
            c.expect(row_id not in shown, f"row {row_id} (no licence required) is not a hold")
    statuses = {r.find_elements(By.CSS_SELECTOR, "td")[2].text.split()[0]: r.find_elements(By.CSS_SELECTOR, "td")[1].text for r in rows}
    c.expect(statuses.get("P05") == "released" and statuses.get("P17") == "rejected" and statuses.get("P06") == "escalated",
             f"decided holds show their status: {statuses}")
    tabs = {a.text.split()[0]: a.text.split()[-1] for a in d.find_elements(By.CSS_SELECTOR, ".tabs a")}
    c.expect(tabs.get("all") == str(len(rows)), f"tab 'all' counts {len(rows)}: {tabs}")
    c.shot("holds-all")

    c.load(base + "/holds/", "Holds")
    open_rows = d.find_elements(By.CSS_SELECTOR, "#holds-table tbody tr")
    c.expect(len(open_rows) == int(tabs.get("open", -1)), f"open queue lists {tabs.get('open')} holds")
    c.expect(all("open" == r.find_elements(By.CSS_SELECTOR, "td")[1].text for r in open_rows), "open queue lists only open holds")
    search = d.find_element(By.ID, "holds-filter")
    c.expect(search.is_displayed(), "the quick filter shows when scripts run")
    search.send_keys("ByteDance")
    visible = [r for r in open_rows if r.is_displayed()]
    c.expect(len(visible) == 1 and "ByteDance" in visible[0].text, "typing a consignee filters the rows")
    search.clear()
    search.send_keys(" ")
    search.clear()
    c.shot("holds")


def hold_pages(c, base, expected):
    d = c.driver
    p05 = expected["P05"]
    c.load(base + "/holds/1/", "Hold 1")
    c.expect("released against D-2026-0417" in text(d, "[data-testid=hold-outcome]"), "released hold shows its licence")
    c.expect("released" in text(d, ".notice-success"), "the redirect's notice is shown")
    c.expect(not d.find_elements(By.ID, "release-form"), "a released hold has no decision form")
    c.expect(plain(p05["tpp_total"]) in text(d, "table.facts"), "the memo on the hold page shows P05's TPP total")
    c.shot("hold-released")

    c.load(base + "/holds/3/", "Hold 3")
    c.shot("hold-detail")  # the page as it opens: docs/dashboard.png
    form = d.find_element(By.ID, "release-form")
    number = form.find_element(By.NAME, "licence_number")
    issued = form.find_element(By.NAME, "licence_issued")
    number.send_keys("D-2026-0417")
    c.expect(not issued.is_enabled(), "an existing licence number disables the new-licence fields")
    c.expect("remaining" in text(d, "#licence-match"), "the hint shows what remains on the licence")
    number.clear()
    number.send_keys("D-2026-0999")
    c.expect(issued.is_enabled(), "a new licence number enables the new-licence fields")
    for name, value in [("licence_issued", "2026-06-01"), ("licence_expires", "2027-05-31"), ("limit_tpp", "300000000")]:
        field = form.find_element(By.NAME, name)
        field.send_keys(value)
        c.expect(field.get_attribute("value") == value, f"{name} can be filled")
    reject = d.find_element(By.ID, "reject-form")
    c.expect(reject.find_element(By.NAME, "note").get_attribute("required") is not None, "a rejection needs a note")
    reject.find_element(By.NAME, "note").send_keys("end user not verified")
    c.expect(d.find_element(By.ID, "escalate-form").is_displayed(), "escalate form shown")
    c.expect(c.console_errors() == [], "no console errors while filling the forms")
    c.shot("hold-open")

    c.load(base + "/hold-error/", "Hold")
    c.expect('form field "licence_expires": "2026-02-30" is not a date' in text(d, "[data-testid=form-error]"), "the one-line form error is shown")
    c.expect(d.find_element(By.NAME, "licence_expires").get_attribute("value") == "2026-02-30", "typed values are kept after an error")
    c.shot("hold-error")

    c.load(base + "/hold-readonly/", "Hold")
    c.expect(text(d, "[data-testid=user-role]") == "auditor", "auditor role shown")
    c.expect(not d.find_elements(By.CSS_SELECTOR, "form[action*='/decision']"), "an auditor sees no decision form")
    c.expect("Only an officer" in text(d, "[data-testid=read-only]"), "the page says why it is read-only")


def memo_pages(c, base, expected):
    d = c.driver
    memo_links = None
    c.load(base + "/holds-all/")
    memo_links = {a.text: a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "#holds-table tbody td:nth-child(3) a")}
    p05 = expected["P05"]
    c.load(memo_links["P05"], "Determination memo P05")
    facts = table_pairs(d, "table.facts:not(.receipt) tr")
    c.expect(facts.get("ECCN") == p05["eccn"], f"ECCN {facts.get('ECCN')}")
    c.expect(facts.get("TPP total") == plain(p05["tpp_total"]), f"TPP total {facts.get('TPP total')}")
    c.expect(facts.get("Destination") == "IN India", f"destination {facts.get('Destination')}")
    c.expect(facts.get("Destination tier") == f"Tier {p05['destination_tier']}", "destination tier")
    c.expect(facts.get("Ultimate consignee") == "Yotta Data Services", "consignee (deals CSV)")
    c.expect(facts.get("H100-equivalents") == "8192", "8,192 H100 SXM are 8192 H100-equivalents")
    outcome = text(d, "[data-testid=memo-outcome]")
    c.expect(p05["authorization"] in outcome and p05["review_policy"] in outcome, f"outcome {outcome}")
    reasons = d.find_elements(By.CSS_SELECTOR, "ol.reasons li")
    c.expect(reasons and all(r.find_elements(By.TAG_NAME, "cite")[0].text for r in reasons), "every reason has a citation")
    debits = [tr.text for tr in d.find_elements(By.CSS_SELECTOR, "table.data tbody tr")]
    c.expect(any(x["cap"] in t and plain(x["tpp"]) in t for x in p05["debits"] for t in debits), f"debits {debits}")
    c.expect(text(d, "[data-testid=signature]") == "valid", "receipt signature valid")
    receipt = table_pairs(d, "table.receipt tr")
    c.expect(len(receipt.get("Event hash (SHA-256)", "")) == 64, "event hash is 64 hex digits")
    c.expect(len(receipt.get("Ledger public key (Ed25519)", "")) == 64, "public key is 64 hex digits")
    c.expect(d.find_element(By.CSS_SELECTOR, "[data-print]").is_displayed(), "the print button shows when scripts run")
    c.shot("memo", full_page=True)
    c.print_view("memo")

    c.load(base + "/memo-tampered/", "Determination memo")
    c.expect(text(d, "[data-testid=signature]") == "invalid", "an edited receipt shows signature invalid")
    c.load(base + "/memo-unrecorded/", "Determination memo")
    c.expect(text(d, "[data-testid=signature]") == "missing", "a row without receipt shows signature missing")


def escaping_page(c, base):
    d = c.driver
    c.load(base + "/escaping/")
    body = d.find_element(By.TAG_NAME, "main").text
    c.expect(HOSTILE in body, "hostile text is shown literally")
    c.expect(not d.find_elements(By.CSS_SELECTOR, "main b, main img, main i, main svg, main script"), "no markup from values reaches the DOM")
    c.expect("<img src=x onerror=alert(1)>" in body, "hostile ultimate parent shown as text")
    c.shot("escaping")


def caps_page(c, base, expected):
    d = c.driver
    c.load(base + "/caps/", "Cap balances")
    charts = d.find_elements(By.CSS_SELECTOR, "svg.bar-chart")
    c.expect(len(charts) == 4, f"four charts (allocations, LPP, VEU, licences), got {len(charts)}")
    for chart in charts:
        c.expect(chart.find_elements(By.CSS_SELECTOR, "rect.bar-used"), f"chart {chart.get_attribute('id')} has bars")
        c.expect(chart.get_attribute("role") == "img" and chart.find_elements(By.TAG_NAME, "title"), "chart has an accessible title")
    labels = [t.text for t in d.find_elements(By.CSS_SELECTOR, "#chart-allocations text.bar-label")]
    c.expect("IN India" in labels and "IL Israel" in labels, f"allocation bars for IN and IL: {labels}")
    india = sum(x["tpp"] for r in expected.values() for x in r["debits"] if x["cap"] == "country_allocation/IN")
    values = " ".join(t.text for t in d.find_elements(By.CSS_SELECTOR, "#chart-allocations text.bar-value"))
    c.expect(plain(india) in values, f"India's allocation shows {plain(india)} TPP (P05 + P09)")
    p05 = expected["P05"]["tpp_total"]
    remaining = d.find_element(By.CSS_SELECTOR, "tr[data-licence='D-2026-0417'] [data-testid=remaining]").text
    c.expect(remaining == plain(400000000 - p05), f"licence D-2026-0417 remaining {remaining} = 400000000 - P05's {plain(p05)}")
    c.shot("caps", full_page=True)
    c.shot("caps-viewport")


def rules_page(c, base):
    d = c.driver
    c.load(base + "/rules/", "Rules")
    cards = d.find_elements(By.CSS_SELECTOR, ".tier-cards .tier")
    c.expect(len(cards) == 3, f"three tier cards, got {len(cards)}")
    tier1 = text(d, ".tier-1")
    c.expect("JP Japan" in tier1, "Tier 1 lists Japan (Supp. No. 5(a))")
    count = d.find_element(By.CSS_SELECTOR, ".tier-1 .count").text
    c.expect(count == "19", f"Tier 1 has the 18 partner countries plus the US (regulation-facts.md 1.2), got {count}")
    c.expect("CN China" in text(d, ".tier-3"), "Tier 3 lists China (D:5)")
    c.expect(len(d.find_elements(By.CSS_SELECTOR, "#layers-table tbody tr")) >= 2, "the layers table lists the layers")
    c.expect(d.find_elements(By.CSS_SELECTOR, "#diff-table tbody tr"), "the diff lists changes")
    as_of = d.find_element(By.ID, "as_of")
    as_of.clear()
    as_of.send_keys("2026-01-01")
    c.expect(as_of.get_attribute("value") == "2026-01-01", "the date can be changed")
    c.shot("rules")


def simulator_page(c, base):
    d = c.driver
    c.load(base + "/simulator/", "Simulator")
    levers = d.find_elements(By.CSS_SELECTOR, "input[name=lever]")
    c.expect(len(levers) >= 5, f"levers offered: {len(levers)}")
    draws = d.find_element(By.ID, "draws")
    c.expect(draws.get_attribute("max") == "2000", "at most 2,000 draws")
    draws.clear()
    draws.send_keys("500")
    c.expect(draws.get_attribute("value") == "500", "draws can be set")
    levers[0].click()
    charts = d.find_elements(By.CSS_SELECTOR, ".charts svg")
    c.expect(charts and all(ch.find_elements(By.TAG_NAME, "rect") for ch in charts), "lever charts drawn")
    c.expect(d.find_elements(By.CSS_SELECTOR, "#sim-table tbody tr"), "result table rows")
    c.shot("simulator")


def other_pages(c, base):
    d = c.driver
    c.load(base + "/login/", "Sign in")
    c.expect(not d.find_elements(By.CSS_SELECTOR, ".topbar nav"), "no navigation before sign-in")
    token = d.find_element(By.ID, "token")
    c.expect(token.get_attribute("type") == "password", "the token field hides what is typed")
    token.send_keys("adt_example_token")
    c.expect(token.get_attribute("value") == "adt_example_token", "the token can be typed")
    c.shot("login")
    c.load(base + "/error/", "Error 403")
    c.expect("officer only" in text(d, ".notice-error"), "error page shows the reason")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="directory written by dashboard-samples")
    parser.add_argument("--screenshots", required=True, help="directory for screenshots")
    args = parser.parse_args()
    server, base = serve(args.root)
    c = start(args.screenshots)
    if c is None:
        server.shutdown()
        return 1
    try:
        expected = expected_rows()
        holds_page(c, base, expected)
        hold_pages(c, base, expected)
        memo_pages(c, base, expected)
        escaping_page(c, base)
        caps_page(c, base, expected)
        rules_page(c, base)
        simulator_page(c, base)
        other_pages(c, base)
    finally:
        c.driver.quit()
        server.shutdown()
    return c.finish("dashboard pages in chromium")


if __name__ == "__main__":
    sys.exit(main())
