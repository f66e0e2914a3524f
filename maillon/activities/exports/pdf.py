"""PDF rendering with WeasyPrint, without any request outside this server (ADR 0009).

WeasyPrint would fetch any URL a document names (images, stylesheets, fonts). The fetcher here
refuses everything except `data:` URLs, so a PDF never tells a third party who reads what and
never waits on the network; fonts come from the system (fontconfig: DejaVu, Liberation).
WeasyPrint is imported on first use: it parses its own stylesheets at import, which every
process would otherwise pay at start.
"""

import logging
from pathlib import Path
from typing import Any

from django.conf import settings

PRINT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "maillon" / "statistics-print.css"
CONTENT_TYPE = "application/pdf"
# WeasyPrint reports each rendering step at INFO level: noise in the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetchingError

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Refuses every URL but inline `data:` ones."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise URLFetchingError(f"Ressource externe refusée dans un PDF : {url}")

    return LocalOnlyFetcher()


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    stylesheet = CSS(string=PRINT_STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet])
    return pdf
