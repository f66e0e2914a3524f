"""Security headers, no inline script, deploy checks, State branding, design system confinement."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
PAGES = ["home", "accounts:login"]
# <script …> without a src attribute: inline code, refused by our Content-Security-Policy.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
# onclick="…" and friends are inline script too; style="…" is refused by style-src 'self'.
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
DSFR_CLASS = re.compile(r"""class\s*=\s*["'][^"']*(?<![\w-])fr-""")


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name] = sources
    return directives


def all_templates() -> list[Path]:
    return sorted(TEMPLATES_DIR.rglob("*.html"))


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_pages_carry_a_strict_content_security_policy(client: Client, page: str) -> None:
    response = client.get(reverse(page))

    directives = csp_directives(response.headers["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for name, sources in directives.items():
        for source in sources:
            assert source not in {"'unsafe-inline'", "'unsafe-eval'", "*"}, (name, source)
            allowed = {"'self'", "'none'"} | ({"data:"} if name == "img-src" else set())
            assert source in allowed or source.startswith("'nonce-"), (name, source)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_pages_carry_the_security_headers(client: Client, page: str) -> None:
    response = client.get(reverse(page))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_templates_hold_no_inline_script_or_style() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}: {kind}"
        for path in all_templates()
        for kind, pattern in [
            ("<script> sans src", INLINE_SCRIPT),
            ("gestionnaire on…=", INLINE_HANDLER),
            ("attribut style=", INLINE_STYLE),
        ]
        if pattern.search(path.read_text())
    ]

    assert all_templates()
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_rendered_pages_hold_no_inline_script(client: Client, page: str) -> None:
    html = client.get(reverse(page)).content.decode()

    assert "<script" in html
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_HANDLER.findall(html) == []


def test_app_templates_hold_no_design_system_class() -> None:
    """All DSFR markup lives in templates/components/, so the look can be swapped in one folder."""
    app_folders = [p for p in TEMPLATES_DIR.iterdir() if p.is_dir() and p.name != "components"]
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}:{number}: {line.strip()[:80]}"
        for folder in app_folders
        for path in sorted(folder.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if DSFR_CLASS.search(line)
    ]

    assert app_folders
    assert offenders == []


@pytest.mark.django_db
@override_settings(MAILLON_BRANDING="etat")
def test_state_branding_shows_the_republique_francaise_bloc_marque(client: Client) -> None:
    html = client.get(reverse("home")).content.decode()

    assert 'class="fr-logo"' in html
    assert "République<br>Française" in html


@pytest.mark.django_db
@override_settings(MAILLON_BRANDING="neutre")
def test_neutral_branding_shows_no_state_identity(client: Client) -> None:
    html = client.get(reverse("home")).content.decode()

    assert "fr-logo" not in html
    assert "République" not in html
    assert "maillon-branding-neutre" in html


def test_production_settings_pass_the_deploy_checks() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "maillon.example.org",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
