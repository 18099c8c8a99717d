"""The published module as static files: each page an anonymous learner may read, rendered
through the whole site (middleware, templates) as they would get it, with every link made
relative, so the files work from a folder, a zip or an LMS and request nothing elsewhere.

What needs the server stays out (search, the self-assessment's posted form, the dated table
and cell histories): links to it are taken out, not left broken. The final check, a GET form
graded by the server, is graded by the package's own script (lms/lms.js) from lms/data.js.
"""

import json
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.utils.html import escape

from roles.models import FinalCheckPage, ModulePage, SelfAssessmentPage
from roles.visibility import visible

# Pages and routes that need the server: their links are removed from the package.
SERVER_ONLY = (re.compile(r"^/search/"), re.compile(r"/history/\d+/\d+/$"))
LINKED = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}
# What stays on the site: tags for search engines and link previews, and the comments.
FOR_CRAWLERS = (
    "link[rel=canonical]",
    "link[rel=alternate]",
    "meta[property^='og:']",
    "meta[name^='twitter:']",
    "script[type='application/ld+json']",
    # Learners' comments post to the site: in an LMS, its own discussion tools do that job.
    "#comments",
)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
RUNTIME = ("lms/data.js", "lms/lms.js")  # on every page, before module.js
RUNTIME_FILES = {
    "lms/lms.js": "js/lms.js",
    "lms/session.js": "js/lms-session.js",
    "lms/cmi5.js": "js/lms-cmi5.js",
}
LAUNCH = "lms/launch.html"  # what the manifests launch: it holds the LMS session


class RenditionError(Exception):
    """The module cannot be exported: nothing published, or a page that does not render."""


@dataclass
class Rendition:
    files: dict = field(default_factory=dict)  # package path -> bytes
    title: str = ""
    description: str = ""
    pass_mark: int = 0
    version: object = None  # the newest publish of a packaged page
    lessons: int = 0
    home: object = None


def file_for(path, content_type="text/html"):
    """The package path of a site path: /a/b/ -> a/b/index.html (index.svg for an SVG)."""
    if path.startswith(settings.STATIC_URL):
        return "static/" + path[len(settings.STATIC_URL) :]
    ext = ".html" if "html" in content_type else mimetypes.guess_extension(content_type) or ""
    base = path.strip("/")
    return f"{base}/index{ext}" if base else f"index{ext}"


def relative(target, source):
    """``target`` (a package path) as a link from the file ``source``."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


class Renderer:
    """Crawls the module from its pages (first pass), then writes each HTML file with its
    links pointing at the files the crawl found (second pass)."""

    def __init__(self, report=print):
        self.report = report
        self.client = Client(HTTP_HOST=self.host())
        self.rendition = Rendition()
        self.fetched = {}  # site path -> (content type, body)
        self.excluded = set()

    @staticmethod
    def host():
        # Rendered as a reader gets the pages: the request must pass the host check.
        named = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")]
        return named[0] if named else "localhost"

    def run(self):
        home = visible(ModulePage.objects.all()).order_by("path").first()
        if home is None:
            raise RenditionError("No published module: publish the module page first.")
        pages = list(visible(home.get_descendants(inclusive=True)).specific().order_by("path"))
        self.excluded = {urlsplit(p.url).path for p in pages if isinstance(p, SelfAssessmentPage)}
        queue = [urlsplit(p.url).path for p in pages]
        queue = [path for path in queue if self.packaged(path)]
        self.report(f"Rendering {len(queue)} published pages ...")
        while queue:
            path = queue.pop(0)
            if path in self.fetched:
                continue
            kind, body = self.fetch(path)
            self.fetched[path] = (kind, body)
            if kind == "text/html":
                queue += [p for p in self.links(body) if p not in self.fetched]
            if len(self.fetched) % 10 == 0:
                self.report(f"  {len(self.fetched)} rendered")
        self.report(f"  {len(self.fetched)} rendered; making links relative ...")
        targets = {path: file_for(path, kind) for path, (kind, _) in self.fetched.items()}
        files = self.rendition.files
        for path, (kind, body) in self.fetched.items():
            source = targets[path]
            files[source] = self.rewrite(body, source, targets) if kind == "text/html" else body
        final = next((p for p in pages if isinstance(p, FinalCheckPage)), None)
        files["lms/data.js"] = runtime_data(home, final)
        for name, static_name in RUNTIME_FILES.items():
            files[name] = read_static(static_name)
        files[LAUNCH] = launch_page(home.title)
        r = self.rendition
        r.title, r.description, r.home = home.title, home.lead, home
        r.lessons = len(home.lessons())
        r.pass_mark = final.pass_mark if final else 0
        r.version = max(p.last_published_at for p in pages if p.last_published_at)
        return r

    def fetch(self, path):
        response = self.client.get(path)
        if response.status_code != 200:
            raise RenditionError(f"{path} answered {response.status_code}, not 200.")
        kind = response.get("Content-Type", "text/html").split(";")[0].strip()
        return kind, b"".join(response)

    def packaged(self, path):
        return path not in self.excluded and not any(rule.search(path) for rule in SERVER_ONLY)

    def links(self, body):
        """The site paths an HTML page links to that belong in the package."""
        html = strip(body)
        for name, attr in LINKED.items():
            for tag in html.find_all(name, attrs={attr: True}):
                parts = urlsplit(tag[attr])
                if parts.scheme or parts.netloc or parts.query:
                    continue
                path = parts.path
                local = path.startswith("/") and not path.startswith(settings.STATIC_URL)
                if local and self.packaged(path):
                    yield path

    def link(self, url, source, targets):
        """``url`` as a relative link from ``source``; None when it leaves the package."""
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or url.startswith("#"):
            return url
        if parts.scheme or parts.netloc or parts.query or not parts.path.startswith("/"):
            return None  # another site, or a page that needs its query string: the server's
        if parts.path.startswith(settings.STATIC_URL):
            target = self.asset(parts.path)
        elif parts.path in targets:
            target = targets[parts.path]
        else:
            return None
        return relative(target, source) + (f"#{parts.fragment}" if parts.fragment else "")

    def asset(self, path):
        target = file_for(path)
        if target not in self.rendition.files:
            name = path[len(settings.STATIC_URL) :]
            content = self.rendition.files[target] = read_static(name)
            if name.endswith(".css"):  # what a stylesheet loads comes too
                for url in CSS_URL.findall(content.decode()):
                    if not url.startswith(("data:", "#", "http")):
                        joined = posixpath.join(posixpath.dirname(path), url)
                        self.asset(posixpath.normpath(joined))
        return target

    def rewrite(self, content, source, targets):
        html = strip(content)
        for name, attr in LINKED.items():
            for tag in html.find_all(name, attrs={attr: True}):
                url = self.link(tag[attr], source, targets)
                if url is not None:
                    tag[attr] = url
                elif name == "a":
                    drop_link(tag)
                else:
                    tag.decompose()
        first_script = html.find("script", src=True)
        for path in RUNTIME:  # before module.js: progress is restored before it reads it
            script = html.new_tag("script", src=relative(path, source), defer="")
            if first_script is not None:
                first_script.insert_before(script)
            elif html.body is not None:
                html.body.append(script)
        if html.html is not None:
            html.html["data-package"] = ""
        return str(html).encode()


def strip(content):
    """The page parsed, without what stays on the site (FOR_CRAWLERS)."""
    html = BeautifulSoup(content, "html.parser")
    for selector in FOR_CRAWLERS:
        for tag in html.select(selector):
            tag.decompose()
    return html


def drop_link(tag):
    """A link to what is not in the package: the menu item goes, elsewhere its words stay."""
    item = tag.parent
    if (
        item is not None
        and item.name == "li"
        and item.get_text(strip=True) == tag.get_text(strip=True)
    ):
        item.decompose()
    else:
        tag.unwrap()


def read_static(name):
    """A static file's bytes: from the project's own files first (a stale collectstatic must
    not go into a package), else from collected storage (a production page names its files
    with their hash, e.g. module.3f2a.css, which only the collected copy has)."""
    found = finders.find(name)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    raise RenditionError(f"Static file {name} not found (run collectstatic?).")


def render(report=print):
    """The published module as a Rendition (files and what the manifests need)."""
    return Renderer(report).run()


def launch_page(title):
    """lms/launch.html: the one page the LMS opens. It keeps the session with the LMS while
    the learner moves between the module's pages, which it shows in a frame."""
    title = escape(title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        "<style>html,body{margin:0;height:100%}iframe{display:block;border:0;width:100%;"
        "height:100%}</style>"
        '<script src="data.js"></script><script src="cmi5.js"></script></head>'
        f'<body><iframe id="module" title="{title}"></iframe>'
        '<script src="session.js"></script></body></html>\n'
    ).encode()


def runtime_data(home, final):
    """lms/data.js: what the package's script needs that the server knew: the lessons in
    order, and the final check's questions with their answers (an LMS package is graded in
    the browser, so the answers travel with it, as in any SCORM quiz)."""
    lessons = [str(p.pk) for p in home.lessons()]
    questions = []
    if final is not None:
        for q in final.questions:
            options = q.value["options"]
            questions.append(
                {
                    "name": q.field_name,
                    "text": q.value["question"],
                    "options": [o["text"] for o in options],
                    "feedback": [o.get("feedback") or "" for o in options],
                    "correct": q.value.correct_index(),
                    "lesson": q.lesson.title,
                    "href": file_for(urlsplit(q.lesson.url).path),
                }
            )
    data = {
        "title": home.title,
        "lessons": lessons,
        "passMark": final.pass_mark if final else None,
        "questions": questions,
    }
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.TPM_LMS = {body};\n".encode()
