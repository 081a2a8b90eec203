"""What a rendered page must not contain under the Content-Security-Policy, and what the policy must say.

``page_problems(html)`` lists inline scripts, inline styles (``<style>`` and ``style=""``), event-handler
attributes, ``javascript:`` URLs, and any URL in a ``src``/``href``/``action`` (and their relatives)
that points at another host. ``policy_problems(header)`` lists what makes the policy weaker than the
one the settings promise.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

#: Attributes whose value the browser loads or navigates to.
URL_ATTRIBUTES = frozenset({"src", "href", "action", "formaction", "poster", "data", "srcset", "hx-get", "hx-post"})
#: Hosts that count as "this site" in a test request.
SITE_HOSTS = frozenset({"testserver", "127.0.0.1", "localhost"})
#: <script> types that hold data the browser never runs.
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})


class _PageAuditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script_open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and "src" not in values and values.get("type", "").lower() not in DATA_SCRIPT_TYPES:
            self._inline_script_open = True
        if tag == "style":
            self.problems.append("a <style> element (inline style)")
        for name, value in attrs:
            value = value or ""
            if name == "style":
                self.problems.append(f'<{tag} style="{value}"> (inline style attribute)')
            elif name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> (inline event handler)")
            elif name in URL_ATTRIBUTES:
                self.problems.extend(_url_problems(tag, name, value))

    def handle_data(self, data: str) -> None:
        if self._inline_script_open and data.strip():
            self.problems.append(f"an inline <script>: {data.strip()[:80]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script_open = False


def _url_problems(tag: str, attribute: str, value: str) -> list[str]:
    candidates = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
    problems = []
    for url in candidates:
        url = url.strip()
        if url.lower().startswith("javascript:"):
            problems.append(f"<{tag} {attribute}={url!r}> (javascript: URL)")
            continue
        parts = urlsplit(url)
        if parts.netloc and parts.hostname not in SITE_HOSTS:
            problems.append(f"<{tag} {attribute}={url!r}> (external URL)")
    return problems


def page_problems(html: str) -> list[str]:
    """Everything in ``html`` that a strict policy forbids or that loads from another host."""
    auditor = _PageAuditor()
    auditor.feed(html)
    auditor.close()
    return auditor.problems


def parse_policy(header: str) -> dict[str, list[str]]:
    """``"default-src 'self'; img-src 'self' data:"`` -> ``{"default-src": ["'self'"], ...}``."""
    policy = {}
    for directive in header.split(";"):
        words = directive.split()
        if words:
            policy[words[0].lower()] = words[1:]
    return policy


#: What the platform's policy promises, directive by directive (``None``: present, any sources from the allowed set).
REQUIRED_DIRECTIVES = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}
FORBIDDEN_SOURCES = frozenset({"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"})


def policy_problems(header: str | None) -> list[str]:
    """Why ``header`` (a Content-Security-Policy value) is missing or weaker than the platform's policy."""
    if not header:
        return ["no Content-Security-Policy header"]
    policy = parse_policy(header)
    problems = [
        f"{name} is {policy.get(name)!r}, expected {sources!r}"
        for name, sources in REQUIRED_DIRECTIVES.items()
        if policy.get(name) != sources
    ]
    for name, sources in policy.items():
        problems.extend(f"{name} allows {source}" for source in sources if source in FORBIDDEN_SOURCES)
        problems.extend(
            f"{name} allows another host ({source})"
            for source in sources
            if "://" in source or (source.startswith("'") is False and "." in source)
        )
    return problems
