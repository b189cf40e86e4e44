#!/usr/bin/env python3
"""End-to-end flow of issue 9 in a real browser, against a running `ai-diffusion serve`.

    ai-diffusion tokens create --role officer --name ana.officer --ledger L    # last line: the token
    ai-diffusion tokens create --role screener --name sam.screener --ledger L
    ai-diffusion serve --ledger L --port 8080 &
    python3 Tests/Browser/flow.py --url http://127.0.0.1:8080 \\
        --officer-token "$OFFICER" --screener-token "$SCREENER" --screenshots /tmp/flow-shots

On a fresh ledger: commits the public deals through the JSON API (as the screener), signs in to the
dashboard as the officer, sees one open hold per `license_required` row, releases the hold of P05
with a new licence typed into the form, sees the licence's remaining quantity drop by the
shipment's TPP (on the caps page and through the API) and the licence chart change, opens the
determination memo, then checks that the screener may not decide holds (403). Fails on any
JavaScript console error (SEVERE log entry); saves a screenshot per step.

What it assumes of the server (issue 9 and the dashboard's route contract, docs/dashboard.md):
POST /v1/screenings {"regime", "compare", "commit", "rows"} -> {"run", "determinations"};
GET /v1/licences/{number} -> {"limit_tpp" or "limit", "used", "remaining", ...};
POST /v1/holds/{id}/decision; GET/POST /login, /holds, /holds/{id}, POST /holds/{id}/decision
(303 back to /holds/{id}), /memo/{run}/{row}, /caps; bearer tokens in the Authorization header.
"""
import argparse
import csv
import json
import os
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import plain, start, table_pairs, text  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXPECTED = os.path.join(REPO, "Tests/Fixtures/cases/deals-public.expected.ai-diffusion-2025.jsonl")


def api(base, method, path, token=None, body=None):
    """(status, parsed JSON or text) of one API call."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except urllib.error.URLError as error:
        return 0, f"cannot reach {base}: {error.reason}"
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def sign_in(c, base, token, name):
    d = c.driver
    c.load(base + "/login", "Sign in")
    d.find_element(By.ID, "token").send_keys(token)
    d.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    c.page_checks()
    c.expect(d.current_url.split("?")[0].endswith("/holds"), f"signing in lands on the holds queue ({d.current_url})")
    c.expect(text(d, "[data-testid=user-name]") == name, f"signed in as {name}")


def licence_row(d, number):
    rows = d.find_elements(By.CSS_SELECTOR, f"tr[data-licence='{number}']")
    return rows[0] if rows else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL of the running service, e.g. http://127.0.0.1:8080")
    parser.add_argument("--officer-token", required=True)
    parser.add_argument("--screener-token", required=True)
    parser.add_argument("--officer-name", default="ana.officer", help="the officer token's --name")
    parser.add_argument("--screener-name", default="sam.screener", help="the screener token's --name")
    parser.add_argument("--deals", default=os.path.join(REPO, "examples/deals-2023-2026.csv"))
    parser.add_argument("--regime", default="ai-diffusion-2025")
    parser.add_argument("--row", default="P05", help="the row whose hold is released")
    parser.add_argument("--screenshots", default="flow-screenshots")
    args = parser.parse_args()
    base = args.url.rstrip("/")

    c = start(args.screenshots)
    if c is None:
        return 1
    d = c.driver
    try:
        with open(args.deals, newline="") as f:
            rows = [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(f)]
        body = {"regime": args.regime, "compare": None, "commit": True, "rows": rows}

        # 1. The API refuses a commit without a token.
        status, _ = api(base, "POST", "/v1/screenings", None, body)
        c.expect(status == 401, f"unauthenticated POST /v1/screenings gets 401, got {status}")

        # 2. The screener commits the public deals.
        status, result = api(base, "POST", "/v1/screenings", args.screener_token, body)
        if not c.expect(status == 200 and isinstance(result, dict) and result.get("run") is not None,
                        f"commit of {len(rows)} rows: 200 with a run id, got {status} {str(result)[:300]}"):
            return c.finish("flow")
        run = result["run"]
        determinations = {x["id"]: x for x in result["determinations"]}
        held = sorted(k for k, x in determinations.items() if x["license_required"])
        with open(EXPECTED) as f:
            expected_held = sorted(x["id"] for x in map(json.loads, f) if x["license_required"])
        if os.path.samefile(args.deals, os.path.join(REPO, "examples/deals-2023-2026.csv")):
            c.expect(held == expected_held, f"licence-required rows {held} are the public cases' {expected_held}")

        # 3. The officer signs in and sees one open hold per licence-required row of the run.
        sign_in(c, base, args.officer_token, args.officer_name)
        c.expect(text(d, "[data-testid=user-role]") == "officer", "role officer shown")
        c.load(base + "/holds?status=open", "Holds")
        queue = {}
        for tr in d.find_elements(By.CSS_SELECTOR, "#holds-table tbody tr"):
            cells = tr.find_elements(By.CSS_SELECTOR, "td")
            row_id, run_text = cells[2].text.split()[0], cells[2].text.split()[-1]
            if run_text == str(run):
                queue[row_id] = cells[0].find_element(By.TAG_NAME, "a").get_attribute("href")
        c.expect(sorted(queue) == held, f"open holds of run {run}: {sorted(queue)} == {held}")
        c.shot("01-holds")

        # 4. The caps page before the release: the new licence is not there yet.
        licence = "E2E-" + time.strftime("%Y%m%d%H%M%S", time.gmtime())
        c.load(base + "/caps", "Cap balances")
        c.expect(licence_row(d, licence) is None, "the new licence is not on file before the release")
        licences_chart_before = d.find_element(By.ID, "licences").get_attribute("innerHTML")
        c.shot("02-caps-before")

        # 5. Release the row's hold against a new licence, through the form (Post/Redirect/Get).
        target = determinations[args.row]
        shipped = float(target["tpp_total"])
        limit = 2 * shipped
        c.load(queue[args.row], "Hold")
        hold_url = d.current_url
        form = d.find_element(By.ID, "release-form")
        for name, value in [("licence_number", licence), ("licence_issued", "2025-01-01"), ("licence_expires", "2027-12-31"),
                            ("limit_tpp", plain(limit)), ("note", "released by the browser flow test")]:
            form.find_element(By.NAME, name).send_keys(value)
        c.shot("03-release-form")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        c.page_checks("Hold")
        c.expect(d.current_url == hold_url, f"303 back to the hold's page ({d.current_url})")
        c.expect(f"released against {licence}" in text(d, "[data-testid=hold-outcome]"), "the hold shows it was released against the new licence")
        c.expect(not d.find_elements(By.ID, "release-form"), "a released hold has no decision form")
        d.refresh()
        c.page_checks("Hold")
        c.expect("released" in text(d, ".status"), "reloading shows the same state (nothing posted again)")
        c.shot("04-released")

        # 6. The licence's remaining quantity dropped by the shipment's TPP: caps page and API agree.
        remaining = limit - shipped
        c.load(base + "/caps", "Cap balances")
        row = licence_row(d, licence)
        c.expect(row is not None and row.find_element(By.CSS_SELECTOR, "[data-testid=remaining]").text == plain(remaining),
                 f"licence {licence}: remaining {plain(remaining)} = {plain(limit)} - {plain(shipped)}")
        labels = [t.text for t in d.find_elements(By.CSS_SELECTOR, "#chart-licences text.bar-label")]
        c.expect(licence in labels, f"the licence chart has a bar for {licence}")
        c.expect(d.find_element(By.ID, "licences").get_attribute("innerHTML") != licences_chart_before, "the licence chart changed")
        c.shot("05-caps-after", full_page=True)
        status, balance = api(base, "GET", f"/v1/licences/{licence}", args.officer_token)
        c.expect(status == 200 and float(balance.get("remaining", -1)) == remaining, f"GET /v1/licences/{licence}: remaining {remaining}, got {status} {balance}")

        # 7. The determination memo of the released row.
        c.load(hold_url, "Hold")
        memo_url = d.find_element(By.CSS_SELECTOR, ".page-head a[href*='/memo/']").get_attribute("href")
        c.load(memo_url, "Determination memo")
        facts = table_pairs(d, "table.facts:not(.receipt) tr")
        c.expect(facts.get("TPP total") == plain(shipped), f"memo TPP total {facts.get('TPP total')} == {plain(shipped)}")
        c.expect(facts.get("ECCN") == target["eccn"], "memo ECCN")
        c.expect(text(d, "[data-testid=signature]") == "valid", "the receipt's signature verifies")
        c.expect("released" in text(d, ".memo-body .status"), "the memo shows the hold released")
        c.shot("06-memo", full_page=True)
        c.print_view("06-memo")

        # 8. Sign out; the screener may not decide holds.
        c.load(hold_url, "Hold")
        d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        c.page_checks()
        c.expect("/login" in d.current_url, "signing out returns to the login page")
        sign_in(c, base, args.screener_token, args.screener_name)
        d.get(hold_url)
        c.page_checks()
        c.expect(not d.find_elements(By.CSS_SELECTOR, "form[action*='/decision']"), "the screener sees no decision form")
        c.shot("07-screener")
        hold_id = hold_url.rstrip("/").split("/")[-1]
        status, _ = api(base, "POST", f"/v1/holds/{hold_id}/decision", args.screener_token, {"action": "reject", "note": "not mine to decide"})
        c.expect(status == 403, f"a screener deciding a hold gets 403, got {status}")
    finally:
        d.quit()
    return c.finish("issue 9 browser flow")


if __name__ == "__main__":
    sys.exit(main())
