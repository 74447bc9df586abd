"""Web addresses a contributor writes, read as a browser reads them (the WHATWG URL Standard).

:func:`web_url` is the one place a link is judged: ``check`` refuses what it refuses, the pages
link to the canonical ``href`` it returns and show its ``host`` beside the label, and the
exports write that ``href``. It is the C++ ``ada`` parser (``ada-url``), the one Node.js uses,
so the host read here is the host Chromium and Firefox go to: Python's ``urllib`` reads
``https://\\evil.com\\@good.org/`` as good.org, a browser as evil.com.

Refused, beyond what does not parse: another scheme; a backslash (browsers read it as ``/``); a
user name or password before ``@`` (the host is what follows it); an IP address or a host without
a dot (a public page links to public names); a host label mixing Latin letters with Cyrillic,
Greek, Armenian or Cherokee ones (``раураl``). A host written in another script alone is kept,
but its ``host`` is the ASCII (punycode) form a browser goes to, so a reader who sees
``xn--80aa0cbo65f.com`` beside a label is not told "paypal.com".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ada_url

_STARTS_WEB = re.compile(r"^https?://", re.IGNORECASE)
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # whitespace, C0 and C1 controls, surrogates
_PORT = re.compile(r"^https?://[^/?#]*:([^/?#:\]]*)(?:[/?#]|$)", re.IGNORECASE)
_MAX_PORT = 65535
# Scripts whose letters pass for Latin ones (UTS 39's usual suspects); a label mixing them with Latin is a disguise.
LATIN_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
NOT_A_WEB_URL = "is not an absolute http(s) URL"
NOT_A_WEB_URL_FIX = "links must start with https:// (or http://); other schemes are refused for readers' safety"
NAME_THE_HOST = "link to the site by its name, such as https://github.com/owner/repo"


@dataclass(frozen=True)
class WebUrl:
    """A link that leads where it reads: ``href`` serialised as browsers do, ``host`` as they go to it."""

    href: str
    host: str  # ASCII (IDN in punycode), with the port when it has one


@dataclass(frozen=True)
class Refusal:
    """Why a link is refused: ``reason`` follows the quoted address, ``fix`` says what to do."""

    reason: str
    fix: str


def web_url(text: str) -> WebUrl | Refusal:
    """``text`` (a link exactly as written) parsed as a browser would, or why it is refused."""
    invisible = None if text.isascii() else next((c for c in text if unicodedata.category(c) == "Cf"), None)
    if invisible is not None:  # a right-to-left override or a zero-width space
        return Refusal(f"holds an invisible character (U+{ord(invisible):04X}) that can disguise where the link leads",
                       "type the address again, without it")
    if _SPACE_OR_CONTROL.search(text) or not _STARTS_WEB.match(text):
        return Refusal(NOT_A_WEB_URL, NOT_A_WEB_URL_FIX)
    if "\\" in text:
        return Refusal("holds a backslash, which browsers read as '/': the link would not lead where it reads",
                       "write the address without backslashes")
    port = _PORT.match(text)
    if port and "@" not in text.split("//", 1)[1].split("/", 1)[0] and not _valid_port(port.group(1)):
        return Refusal(f"has an invalid port ({port.group(1)!r})",
                       f"a port is a number from 1 to {_MAX_PORT}; most links need none: remove ':{port.group(1)}'")
    try:
        parsed = ada_url.URL(text)
    except ValueError:
        return Refusal("is not a valid web address: browsers cannot open it", NAME_THE_HOST)
    # Each attribute read costs about a microsecond: read what every link needs, the rest only when it matters.
    href, host = parsed.href, parsed.host
    hostname = host if host.startswith("[") else host.rsplit(":", 1)[0]
    if "@" in href.split("//", 1)[1].split("/", 1)[0] and (parsed.username or parsed.password):
        return Refusal(f"names a user before '@', and browsers go to the host after it ({hostname})",
                       "remove everything between '//' and '@'; addresses with a user name or password are refused")
    if parsed.host_type != ada_url.HostType.DEFAULT:
        return Refusal(f"leads to an IP address ({hostname}), not to a named host", NAME_THE_HOST)
    if "." not in hostname.strip("."):
        return Refusal(f"has no public host name ({hostname!r})", NAME_THE_HOST)
    mixed = _mixed_script_label(hostname)
    if mixed:
        label, scripts = mixed
        return Refusal(f"has a host name mixing {' and '.join(scripts)} letters ({label!r}), "
                       "which can imitate another address",
                       f"type the address again in one script; as written, browsers go to {hostname}")
    return WebUrl(href, host)


def canonical(text: str) -> str | None:
    """The canonical form of an accepted link, None for a refused one."""
    parsed = web_url(text)
    return parsed.href if isinstance(parsed, WebUrl) else None


def link_host(href: str) -> str:
    """The host shown beside a link's label; "" when ``href`` is refused (it is then never a link)."""
    parsed = web_url(href)
    return parsed.host if isinstance(parsed, WebUrl) else ""


def _valid_port(text: str) -> bool:
    return text == "" or (text.isascii() and text.isdigit() and 1 <= int(text) <= _MAX_PORT)


def _mixed_script_label(hostname: str) -> tuple[str, tuple[str, ...]] | None:
    """The first label of ``hostname`` (ASCII, punycode) whose letters are Latin and a lookalike script.

    The script is the first word of each letter's Unicode name ("CYRILLIC SMALL LETTER A"). Over all
    131,756 letters that agrees with Unicode's Scripts.txt for these five scripts except 240 modifier
    letters and ordinal indicators, which IDNA maps to plain letters before a host gets here.
    """
    if "xn--" not in hostname:
        return None
    for label in ada_url.idna_to_unicode(hostname).split("."):
        scripts = {unicodedata.name(c, "?").split()[0] for c in label if c.isalpha()}
        lookalikes = tuple(s for s in LATIN_LOOKALIKE_SCRIPTS if s in scripts)
        if "LATIN" in scripts and lookalikes:
            return label, ("Latin", *(s.capitalize() for s in lookalikes))
    return None
