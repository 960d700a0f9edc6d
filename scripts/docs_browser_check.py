"""Drives headless Chromium through the running service's /docs page (scripts/docs-browser-test runs it).

Checks, each wait bounded:
  1. every operation (method and path) of openapi.yaml is listed by Swagger UI, and the browser logged no error
     (a Content-Security-Policy violation or a refused integrity hash would be one);
  2. "Authorize" with the given token, then "try it" on GET /v1/wallets answers 200 with the given wallet;
  3. after a reload, without authorizing again, the same "try it" answers 200 again (the token was kept).
The service's side of step 2 and 3 is checked by the caller, in the service's request log.

  docs_browser_check.py BASE_URL SPEC TOKEN WALLET_ID [--screenshot PATH]
"""

import argparse
import json
import sys

import yaml
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium
CHROMEDRIVER = "/usr/bin/chromedriver"  # Debian's chromium-driver: never a downloaded one
PAGE_LOAD_TIMEOUT_S = 60
WAIT_TIMEOUT_S = 30  # any one element or answer
WINDOW = (1280, 2400)
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
TRY_IT_OPERATION = "operations-Wallets-listWallets"  # GET /v1/wallets: Swagger UI's id is tag and operationId


def spec_operations(path):
    with open(path, encoding="utf-8") as file:
        spec = yaml.safe_load(file)
    return {(method.upper(), route) for route, item in spec["paths"].items() for method in item if method in HTTP_METHODS}


def listed_operations(driver):
    blocks = driver.find_elements(By.CSS_SELECTOR, ".opblock")
    listed = set()
    for block in blocks:
        method = block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text.strip().upper()
        route = block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path")
        listed.add((method, route))
    return listed


def open_docs(driver, base_url, expected_count):
    driver.get(base_url + "/docs")
    WebDriverWait(driver, WAIT_TIMEOUT_S).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= expected_count)


def authorize(driver, token):
    wait = WebDriverWait(driver, WAIT_TIMEOUT_S)
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, ".auth-wrapper .authorize"))).click()
    field = wait.until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".modal-ux input[type=text], .modal-ux input[type=password]")))
    field.send_keys(token)
    driver.find_element(By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper .authorize").click()
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper .btn-done"))).click()
    wait.until(ready.invisibility_of_element_located((By.CSS_SELECTOR, ".modal-ux")))


def try_it(driver):
    """Runs "try it" on GET /v1/wallets; returns the status and body that Swagger UI shows."""
    wait = WebDriverWait(driver, WAIT_TIMEOUT_S)
    block = driver.find_element(By.ID, TRY_IT_OPERATION)
    if "is-open" not in block.get_attribute("class"):
        block.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    wait.until(lambda d: block.find_elements(By.CSS_SELECTOR, ".try-out__btn"))
    block.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, f"#{TRY_IT_OPERATION} .execute"))).click()
    status_cell = f"#{TRY_IT_OPERATION} .live-responses-table .response .response-col_status"
    status = wait.until(ready.visibility_of_element_located((By.CSS_SELECTOR, status_cell))).text.strip()
    body = block.find_element(By.CSS_SELECTOR, ".live-responses-table .response-col_description pre").text
    return status, body


def browser_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("spec")
    parser.add_argument("token")
    parser.add_argument("wallet_id")
    parser.add_argument("--screenshot")
    arguments = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    failures = []
    try:
        driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT_S)
        driver.set_script_timeout(WAIT_TIMEOUT_S)
        expected = spec_operations(arguments.spec)
        open_docs(driver, arguments.base_url, len(expected))
        listed = listed_operations(driver)
        missing, extra = sorted(expected - listed), sorted(listed - expected)
        print(f"operations listed on /docs: {len(expected & listed)} of {len(expected)} in openapi.yaml")
        if missing or extra:
            failures.append(f"missing from the page: {missing}; not in the spec: {extra}")
        if arguments.screenshot:
            driver.save_screenshot(arguments.screenshot)
            print(f"screenshot: {arguments.screenshot}")

        authorize(driver, arguments.token)
        status, body = try_it(driver)
        print(f"try it (after Authorize): GET /v1/wallets -> {status}")
        if status != "200" or arguments.wallet_id not in body:
            failures.append(f"try it answered {status}, body {body[:200]!r}")

        open_docs(driver, arguments.base_url, len(expected))
        status, body = try_it(driver)
        print(f"try it (after a reload, token kept): GET /v1/wallets -> {status}")
        if status != "200" or arguments.wallet_id not in body:
            failures.append(f"try it after a reload answered {status}, body {body[:200]!r}")

        errors = browser_errors(driver)
        print(f"browser errors: {len(errors)}")
        failures.extend(f"browser error: {message}" for message in errors)
    finally:
        driver.quit()
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    print(json.dumps({"listed": len(expected & listed), "in_spec": len(expected), "failures": len(failures)}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
