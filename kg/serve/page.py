"""The query page at `/`: YASGUI from the local node_modules, or a plain HTML form without it.

Everything the page loads comes from this server (web/ and web/node_modules); the
page is served with a Content-Security-Policy that lets it connect to nothing else.
"""
from __future__ import annotations

import html
from pathlib import Path

from kg.resources import web_assets
from kg.serve.examples import Example

WEB_DIR = Path(__file__).resolve().parent / "web"
YASGUI_DIR = WEB_DIR / "node_modules" / "@zazuko" / "yasgui" / "build"
INSTALL_HINT = f"cd {WEB_DIR} && npm ci   (or `make setup`)"

# URL path -> file; nothing outside these is served.
OWN_ASSETS = {name: WEB_DIR / name for name in ("index.html", "page.js", "page.css", "graph.js")}
VENDOR_ASSETS = web_assets(WEB_DIR)  # declared in web/package.json, which packaging reads too

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".map": "application/json; charset=utf-8"}

# The page may load and connect to this origin only.
CSP = ("default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def yasgui_installed() -> bool:
    return all(path.is_file() for name, path in VENDOR_ASSETS.items() if not name.endswith(".map"))


def asset(path: str) -> tuple[bytes, str] | None:
    """(content, content type) for a URL path under /assets/ or /vendor/yasgui/, or None."""
    if path.startswith("/assets/"):
        file = OWN_ASSETS.get(path[len("/assets/"):])
    elif path.startswith("/vendor/yasgui/"):
        file = VENDOR_ASSETS.get(path[len("/vendor/yasgui/"):])
    else:
        return None
    if file is None or not file.is_file():
        return None
    return file.read_bytes(), CONTENT_TYPES.get(file.suffix, "application/octet-stream")


def render_page(examples: list[Example], selected: str | None = None) -> bytes:
    """The query page: YASGUI when installed, else a form that works without any script."""
    if yasgui_installed():
        return OWN_ASSETS["index.html"].read_bytes()
    return render_plain_form(examples, selected)


def render_plain_form(examples: list[Example], selected: str | None = None) -> bytes:
    esc = html.escape
    chosen = next((e for e in examples if e.name == selected), examples[0] if examples else None)
    text = chosen.text if chosen else "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 25"
    links = "".join(
        f'<li><a href="/?example={esc(e.name)}">{esc(e.title)}</a> <small>{esc(e.description)}</small></li>'
        for e in examples)
    options = "".join(f'<option value="{key}">{label}</option>' for key, label in (
        ("html", "table (HTML)"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"), ("tsv", "TSV"),
        ("turtle", "Turtle (CONSTRUCT/DESCRIBE)")))
    body = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>vnkg SPARQL</title>
<style>body{{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}}
textarea{{width:100%;font-family:monospace;font-size:.9rem}}li{{margin:.2rem 0}}
.note{{background:#fff6d5;padding:.5rem 1rem;border:1px solid #e0c870}}</style></head>
<body><h1>SPARQL query</h1>
<p class="note">The full query editor (YASGUI) is not installed; install it with
<code>{esc(INSTALL_HINT)}</code>. This plain form queries the same endpoint.</p>
<h2>Example queries</h2><ul>{links}</ul>
<form method="post" action="/sparql">
<textarea name="query" rows="18" spellcheck="false">{esc(text)}</textarea>
<p><label>Results as <select name="format">{options}</select></label>
<button type="submit">Run query</button></p></form>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 protocol) &middot; <a href="/health">health</a></p>
</body></html>"""
    return body.encode("utf-8")
