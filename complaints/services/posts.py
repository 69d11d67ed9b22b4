"""Social media post URLs, normalised so that complaints about the same post can be matched."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_HOST_ALIASES = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "fb.com": "facebook.com"}
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.")
# Query parameters that identify the post itself; everything else is tracking or display noise.
_KEEP_PARAMS = {"v", "story_fbid", "id", "fbid", "p", "list"}


def url_normalise(url: str) -> str:
    """A canonical form of a post URL: https, bare host, no tracking parameters or fragment."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = (parts.hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    host = _HOST_ALIASES.get(host, host)
    path = parts.path.rstrip("/") or ""
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k in _KEEP_PARAMS))
    return urlunsplit(("https", host, path, query, ""))
