"""Playing an exported package as an LMS would, for the browser tests: the package unzipped
and served over HTTP beside an LMS host page that frames it and carries a real SCORM runtime
(scorm-again, from npm: node_modules/scorm-again), and a tiny LRS for cmi5 that records the
statements it is sent. Nothing here is a mock of our own runtime."""

import io
import json
import os
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCORM_AGAIN = ROOT / "node_modules/scorm-again/dist"
TOKEN = "dG9rZW4tZm9yLXRoZS1hdQ=="
SESSION = "d1b3f7a2-session"

HOST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<link rel="icon" href="data:,">
<script src="/scorm-again/{script}"></script>
<script>
  window.calls = [];
  window.API_OBJECT = new {api}({{ autocommit: false, logLevel: 5 }});
  if (window.SAVED) API_OBJECT.loadFromJSON(window.SAVED);
  window.{name} = API_OBJECT;
  ["{init}", "{finish}", "{commit}"].forEach(function (event) {{
    API_OBJECT.on(event, function () {{ calls.push(event); }});
  }});
  API_OBJECT.on("{set}.cmi.*", function (element, value) {{ calls.push([element, value]); }});
</script></head>
<body><iframe id="sco" title="The course" src="/pkg/lms/launch.html"
  style="width:100%;height:95vh;border:0"></iframe></body></html>"""

HOSTS = {
    "scorm12": dict(
        script="scorm12.js",
        api="Scorm12API",
        name="API",
        init="LMSInitialize",
        finish="LMSFinish",
        commit="LMSCommit",
        set="LMSSetValue",
    ),
    "scorm2004": dict(
        script="scorm2004.js",
        api="Scorm2004API",
        name="API_1484_11",
        init="Initialize",
        finish="Terminate",
        commit="Commit",
        set="SetValue",
    ),
}


def scorm_again_missing():
    if not (SCORM_AGAIN / "scorm12.js").exists():
        message = "scorm-again not installed (npm ci installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must play the LMS packages.", pytrace=False)
        pytest.skip(message)


class LRS:
    """Just enough of an LRS for a cmi5 AU: the fetch URL, the State API, statements."""

    def __init__(self):
        self.statements, self.state, self.auth = [], {}, []
        self.launch_data = {
            "contextTemplate": {
                "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": SESSION}
            },
            "launchMode": "Normal",
            "moveOn": "CompletedAndPassed",
            "masteryScore": 0.8,
        }

    def answer(self, handler, method):
        url = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if url.path == "/lrs/fetch" and method == "POST":
            return 200, {"auth-token": TOKEN}
        self.auth.append(handler.headers.get("Authorization"))
        if url.path == "/lrs/activities/state":
            key = (query.get("stateId"), query.get("registration"))
            if query.get("stateId") == "LMS.LaunchData":
                return 200, self.launch_data
            if method == "PUT":
                self.state[key] = json.loads(body)
                return 204, None
            return (200, self.state[key]) if key in self.state else (404, {"error": "none"})
        if url.path == "/lrs/statements" and method == "POST":
            self.statements.append(json.loads(body))
            return 200, [self.statements[-1]["id"]]
        return 404, {"error": url.path}


class Handler(SimpleHTTPRequestHandler):
    lrs = None

    def log_message(self, *args):
        pass

    def lrs_request(self, method):
        status, body = self.lrs.answer(self, method)
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/lrs/"):
            return self.lrs_request("GET")
        return super().do_GET()

    def do_POST(self):
        return self.lrs_request("POST")

    def do_PUT(self):
        return self.lrs_request("PUT")


class Player:
    """Serves ``package`` (zip bytes) at /pkg/, SCORM host pages at /host-<format>.html, the
    SCORM runtime at /scorm-again/ and the LRS at /lrs/."""

    def __init__(self, package, folder):
        pkg = folder / "pkg"
        zipfile.ZipFile(io.BytesIO(package)).extractall(pkg)
        (folder / "scorm-again").symlink_to(SCORM_AGAIN)
        for fmt, names in HOSTS.items():
            (folder / f"host-{fmt}.html").write_text(HOST.format(**names))
        self.folder, self.lrs = folder, LRS()
        handler = type("BoundHandler", (Handler,), {"lrs": self.lrs})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=folder))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def cmi5_launch_url(self, registration="6f0e1b9c-registration"):
        actor = {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": "ada"}}
        params = {
            "endpoint": f"{self.url}/lrs/",
            "fetch": f"{self.url}/lrs/fetch",
            "actor": json.dumps(actor),
            "registration": registration,
            "activityId": "http://localhost/lms/module/au/module",
        }
        return f"{self.url}/pkg/lms/launch.html?{urlencode(params)}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
