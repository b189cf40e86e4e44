"""Shared helpers of the dashboard's browser tests: a headless Debian chromium driven by selenium,
console-error collection, checks every page must pass, and screenshots.

Needs PyPI `selenium` and Debian `chromium` + `chromium-driver` (scripts/test.sh installs them).
No helper here downloads a driver: selenium is pointed at /usr/bin/chromedriver.
"""
import os
import shutil
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

WIDTH, HEIGHT = 1280, 800


class Failure(AssertionError):
    pass


def find_binary(names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def make_driver():
    """Headless chromium at 1280x800 that keeps the browser console log. Raises Failure (never
    skips) when chromium or its driver is missing."""
    chromium = find_binary(["chromium", "chromium-browser"])
    driver_path = find_binary(["chromedriver"]) or "/usr/lib/chromium/chromedriver"
    if not chromium or not os.path.exists(driver_path):
        raise Failure("chromium and chromium-driver are required (apt-get install -y chromium chromium-driver); "
                      f"found chromium={chromium} chromedriver={driver_path if os.path.exists(driver_path) else None}")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    options.add_argument("--headless=new")
    options.add_argument(f"--window-size={WIDTH},{HEIGHT}")
    options.add_argument("--disable-gpu")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--hide-scrollbars")
    options.add_argument("--force-device-scale-factor=1")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # chromium refuses to start as root with its sandbox
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_window_size(WIDTH, HEIGHT)
    # Window size includes no browser chrome in headless mode; make the viewport exactly 1280x800.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    return driver


class Checker:
    """Counts checks, collects failures, and fails at the end rather than on the first problem."""

    def __init__(self, driver, screenshots):
        self.driver = driver
        self.screenshots = screenshots
        self.failures = []
        self.checks = 0
        self.pages = 0
        os.makedirs(screenshots, exist_ok=True)

    def expect(self, condition, message):
        self.checks += 1
        if not condition:
            self.failures.append(f"{self.driver.current_url}: {message}")
            print(f"  FAIL {message}", file=sys.stderr)
        return condition

    def console_errors(self):
        """SEVERE entries of the browser console since the last call (JavaScript errors, failed loads)."""
        return [entry for entry in self.driver.get_log("browser") if entry.get("level") == "SEVERE"]

    def load(self, url, title_contains=None):
        self.driver.get(url)
        self.pages += 1
        print(f"page {url}", file=sys.stderr)
        self.page_checks(title_contains)

    def page_checks(self, title_contains=None):
        d = self.driver
        if title_contains:
            self.expect(title_contains in d.title, f"title {d.title!r} contains {title_contains!r}")
        self.expect(no_alert(d), "no JavaScript alert is open")
        errors = self.console_errors()
        self.expect(not errors, f"no console errors, got {errors}")
        self.expect(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "html has lang=en")
        self.expect(len(d.find_elements(By.TAG_NAME, "h1")) == 1, "exactly one h1")
        width = d.execute_script("return document.documentElement.scrollWidth")
        self.expect(width <= WIDTH, f"no horizontal scrolling at {WIDTH}px (scrollWidth {width})")
        # Every visible form control has a label.
        for control in d.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), textarea, select"):
            cid = control.get_attribute("id")
            labelled = bool(control.get_attribute("aria-label")) or (
                cid and d.find_elements(By.CSS_SELECTOR, f"label[for='{cid}']"))
            self.expect(labelled, f"form control name={control.get_attribute('name')!r} id={cid!r} has a label")
        # Every POST form carries a non-empty CSRF field.
        for form in d.find_elements(By.CSS_SELECTOR, "form[method=post]"):
            tokens = form.find_elements(By.CSS_SELECTOR, "input[type=hidden][name=csrf]")
            self.expect(len(tokens) == 1 and tokens[0].get_attribute("value"),
                        f"POST form to {form.get_attribute('action')} has a csrf field")
        # Stylesheet and script came from this site (no CDN).
        for element in d.find_elements(By.CSS_SELECTOR, "link[href], script[src], img[src]"):
            ref = element.get_attribute("href") or element.get_attribute("src")
            self.expect(ref.startswith(d.execute_script("return location.origin")), f"{ref} is served by the site itself")

    def shot(self, name, full_page=False):
        path = os.path.join(self.screenshots, name + ".png")
        if full_page:
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": WIDTH, "height": max(HEIGHT, height), "deviceScaleFactor": 1, "mobile": False})
            self.driver.save_screenshot(path)
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        else:
            self.driver.save_screenshot(path)
        return path

    def print_view(self, name):
        """Emulates print media, checks what a printout hides, screenshots it, and saves a PDF."""
        d = self.driver
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        for selector in [".topbar", "form", "button"]:
            for element in d.find_elements(By.CSS_SELECTOR, selector):
                self.expect(not element.is_displayed(), f"print hides {selector}")
        path = self.shot(name + "-print", full_page=True)
        pdf = d.execute_cdp_cmd("Page.printToPDF", {"printBackground": False, "paperWidth": 8.27, "paperHeight": 11.69})
        import base64
        with open(os.path.join(self.screenshots, name + ".pdf"), "wb") as out:
            out.write(base64.b64decode(pdf["data"]))
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        return path

    def finish(self, what):
        print(f"{what}: {self.pages} pages, {self.checks} checks, {len(self.failures)} failed; screenshots in {self.screenshots}")
        if self.failures:
            for failure in self.failures:
                print(f"FAIL {failure}", file=sys.stderr)
            return 1
        return 0


def start(screenshots):
    """A Checker on a fresh browser, or None after printing why chromium could not start."""
    try:
        return Checker(make_driver(), screenshots)
    except Failure as error:
        print(f"FAIL {error}", file=sys.stderr)
        return None


def plain(number):
    """A number as the CLI prints TPP: no exponent, no trailing .0."""
    return str(int(number)) if float(number) == int(number) else repr(float(number))


def table_pairs(driver, selector):
    """{row header: cell} of a two-column table (the memo's facts and receipt)."""
    return {tr.find_element(By.TAG_NAME, "th").text: tr.find_element(By.TAG_NAME, "td").text
            for tr in driver.find_elements(By.CSS_SELECTOR, selector)}


def no_alert(driver):
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def text(driver, selector):
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, selector))
