"""Make ``lhc_forms_response.json``: a QuestionnaireResponse exported by NLM's LHC-Forms.

Not part of the test suite (it needs npm's ``lforms`` package, which the project does
not ship). To make the file again::

    mkdir /tmp/lforms && cd /tmp/lforms && npm install lforms --legacy-peer-deps
    .venv/bin/python tests/fhir/make_lhc_forms_response.py /tmp/lforms/node_modules/lforms

It serves the app and the LHC-Forms web component on two local ports, so the page
fetches our Questionnaire from another origin (through CORS, as a clinic's form
filler would), renders it with ``LForms.Util.addFormToPage``, fills it in Debian's
Chromium by typing and choosing as a person would, and saves what
``LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4')`` gives.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "lhc_forms_response.json"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/lforms/webcomponent/styles.css">
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="/lforms/webcomponent/runtime.js" type="module"></script>
<script src="/lforms/webcomponent/polyfills.js" type="module"></script>
<script src="/lforms/webcomponent/main.js" type="module"></script>
<script src="/lforms/fhir/R4/lformsFHIR.min.js" defer></script>
</head><body><div id="form"></div></body></html>
"""

#: What the person types or chooses, by linkId: numbers typed, choices by their display.
TYPED = {"age": "41", "diagnosis_year": "2019", "relapses_12m": "1", "dmt_count": "2"}
CHOSEN = {"ms_type": "Relapsing-remitting (RRMS)", "new_mri_activity_12m": "Yes",
          "activity_on_dmt": "Yes", "high_efficacy_dmt": "No",
          "walking": "At least 100 metres without help, but not 500 metres",
          "edss": "4.5", "heart_disease": "No", "lung_disease": "No",
          "kidney_disease": "Not sure", "liver_disease": "No", "active_infection": "No",
          "cancer_history": "No", "prior_chemotherapy": "No", "pregnant": "No",
          "wants_children": "Yes", "country": "Spain"}


def serve(app, port: int = 0):
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(lforms: Path) -> None:
    app = create_app({"SECRET_KEY": "lhc-forms" * 8, "REQUEST_LOG": False})
    api = serve(app)
    site = Path(tempfile.mkdtemp(prefix="lhc-forms-"))
    (site / "index.html").write_text(PAGE)
    link = site / "lforms"
    link.symlink_to(lforms / "dist" / "lforms")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    static = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=static.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{static.server_port}/index.html")
            page.wait_for_function(
                "() => Boolean(window.LForms && LForms.Util && LForms.Util.getFormFHIRData)")
            url = f"http://127.0.0.1:{api.server_port}/fhir/Questionnaire/hsct-ms-screening"
            page.evaluate("""async (url) => {
                const questionnaire = await (await fetch(url)).json();
                try {
                    await LForms.Util.addFormToPage(questionnaire, 'form', {fhirVersion: 'R4'});
                } catch (errors) {
                    throw new Error(JSON.stringify(errors.map(e => String(e))));
                }
            }""", url)
            page.wait_for_selector("lhc-item")
            for link_id, text in TYPED.items():
                field = page.locator(f"[id='{link_id}/1/1']")
                field.click()
                field.fill(text)
                field.press("Tab")
            for link_id, text in CHOSEN.items():
                field = page.locator(f"[id='{link_id}/1/1']")
                field.click()
                field.press_sequentially(text[:4])  # narrows long lists, such as countries
                choice = page.locator("li[autocomprawlistindex]:visible").filter(
                    has_text=re.compile(f"^\\s*(\\d+:\\s*)?{re.escape(text)}\\s*$"))
                choice.first.click()
                field.press("Tab")
            response = page.evaluate(
                "LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4')")
            version = page.evaluate("LForms.lformsVersion")
            browser.close()
    finally:
        api.shutdown()
        static.shutdown()
        link.unlink()
        shutil.rmtree(site)
    response.pop("authored", None)
    response.pop("id", None)
    response.setdefault("meta", {})["tag"] = [{"code": f"lforms-{version}",
                                               "display": f"Made by LHC-Forms {version}"}]
    OUTPUT.write_text(json.dumps(response, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {OUTPUT} with LHC-Forms {version}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
