"""The join page of classroom mode: what a student's device opens first, over plain HTTP, and
what the teacher shows on the projector. The HTTPS address with its QR code, the class
certificate to download, and short instructions in Kazakh, Russian and English.

One static HTML file that HAProxy serves from memory: inline SVG and CSS, no script, no
external resource. Every text comes from content/i18n/*/classroom.toml and is HTML-escaped.
"""

from __future__ import annotations

from html import escape

from core.config import LANGUAGES
from core.i18n import LANGUAGE_NAMES, t

CA_PATH = "/zerde-ca.crt"
# HAProxy answers `http-request return … file` from one buffer: classroom mode raises
# tune.bufsize to 32 kB (serve/configs.py; 16 kB by default), and the page with its headers
# must stay below it.
MAX_BYTES = 28_000
DEVICES = {"android": 4, "iphone": 4, "windows": 3}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;
background:#f6f7f9;line-height:1.45}
main{max-width:46rem;margin:0 auto;padding:1rem}
nav{text-align:center;font-size:1.05rem}nav a{margin:0 .5rem}
.join{background:#fff;border-radius:12px;padding:1rem;text-align:center;
box-shadow:0 1px 3px #0002}
.join svg{width:min(70vw,280px);height:auto}
.url{font-size:1.5rem;font-weight:700;word-break:break-all}
.btn{display:inline-block;margin:.3rem;padding:.6rem 1rem;border-radius:8px;background:#0b6e4f;
color:#fff;text-decoration:none;font-weight:600}
.btn.cert{background:#34495e}
section{background:#fff;border-radius:12px;padding:.2rem 1rem 1rem;margin-top:1rem;
box-shadow:0 1px 3px #0002}
details{margin:.4rem 0}summary{font-weight:600;cursor:pointer}
code{word-break:break-all;font-size:.8rem}
small{color:#555}
"""


def _steps(prefix: str, count: int, lang: str, **params: str) -> str:
    items = "".join(
        f"<li>{escape(t(f'{prefix}.step_{i}', lang, **params))}</li>" for i in range(1, count + 1)
    )
    return f"<ol>{items}</ol>"


def _section(lang: str, https_url: str, fingerprint: str) -> str:
    def tr(key: str, **params: str) -> str:
        return escape(t(f"classroom_mode.{key}", lang, **params))

    devices = "".join(
        f"<details><summary>{tr(f'{device}.title')}</summary>"
        f"{_steps(f'classroom_mode.{device}', count, lang)}</details>"
        for device, count in DEVICES.items()
    )
    return (
        f'<section id="{lang}" lang="{lang}">'
        f"<h2>{tr('title')}</h2>"
        f"<p>{tr('why')}</p>"
        f'<p><a class="btn" href="{escape(https_url)}">{tr("open")}</a>'
        f'<a class="btn cert" href="{CA_PATH}" download="zerde-ca.crt">{tr("certificate")}</a></p>'
        f"<h3>{tr('students.title')}</h3>"
        f"{_steps('classroom_mode.students', 3, lang, url=https_url)}"
        f"{devices}"
        f"<p><small>{tr('students.quick')}</small></p>"
        f"<h3>{tr('teacher.title')}</h3>"
        f"{_steps('classroom_mode.teacher', 4, lang)}"
        f"<p><small>{tr('fingerprint')}</small><br><code>{escape(fingerprint)}"
        f"</code></p><p><small>{tr('offline')}</small></p>"
        "</section>"
    )


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code (segno: pure Python, offline)."""
    import segno

    code = segno.make(url, error="m")
    return str(code.svg_inline(scale=1, border=4, omitsize=True, title=url))


def render(https_url: str, join_url: str, fingerprint: str) -> str:
    nav = " · ".join(
        f'<a href="#{lang}" lang="{lang}">{escape(LANGUAGE_NAMES[lang])}</a>' for lang in LANGUAGES
    )
    titles = " · ".join(escape(t("classroom_mode.title", lang)) for lang in LANGUAGES)
    scans = "<br>".join(
        f'<span lang="{lang}">{escape(t("classroom_mode.scan", lang))}</span>' for lang in LANGUAGES
    )
    help_page = " · ".join(
        f'<span lang="{lang}">{escape(t("classroom_mode.help_page", lang))}</span>'
        for lang in LANGUAGES
    )
    sections = "".join(_section(lang, https_url, fingerprint) for lang in LANGUAGES)
    page = (
        '<!doctype html><html lang="kk"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{titles}</title><style>{STYLE}</style></head><body><main>"
        f"<nav>{nav}</nav>"
        f'<div class="join"><p>{scans}</p>{qr_svg(https_url)}'
        f'<p class="url"><a href="{escape(https_url)}">{escape(https_url)}</a></p>'
        f'<p>{help_page}:<br><a href="{escape(join_url)}">{escape(join_url)}</a></p></div>'
        f"{sections}</main></body></html>\n"
    )
    size = len(page.encode())
    if size > MAX_BYTES:
        raise ValueError(f"the join page is {size} bytes; HAProxy serves at most {MAX_BYTES}")
    return page
