"""`make screenshots`: every page each demo account (and the public) reaches, photographed on a
phone (390×844) and a desktop (1366×900), in standard and large type.

    make screenshots                         # builds/uses the demo database, serves it, shoots
    make screenshots URL=http://host:8000    # shoots a portal already running (starts nothing)
    python scripts/screenshots.py --roles public,meiyuan_grid --per-route 2

Writes var/screenshots/<role>/<route>-<size>.png (size: phone, phone-large, desktop,
desktop-large) and var/screenshots/index.html to look through them. Pages are found as in the
phone crawl (tests/browser/walk.py): links followed over HTTP, capped per URL route.
"""

import argparse
import html
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ("phone", "phone-large", "desktop", "desktop-large")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("the portal stopped before it answered")
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=5)  # noqa: S310 -- loopback
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the portal did not answer at {url}")


def serve_demo() -> tuple[str, subprocess.Popen]:
    """The demo district (loaded once, kept between runs), served by gunicorn on a free port."""
    subprocess.run([sys.executable, "manage.py", "demo", "--no-serve"], cwd=ROOT, check=True)  # noqa: S603
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 -- our own argv
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--graceful-timeout", "2"],
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url, process)
    return url, process


def shoot(url: str, roles: list[str], per_route: int, out: Path) -> dict[str, list[str]]:
    from playwright.sync_api import sync_playwright

    from core.demo.district import DEMO_PASSWORD
    from tests.browser.walk import (
        CHROMIUM,
        CHROMIUM_ARGS,
        DESKTOP,
        PHONE,
        Walk,
        log_in,
        new_context,
        render,
        route_name,
    )

    shot: dict[str, list[str]] = {}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role in roles:
            contexts = {
                size: new_context(
                    browser, url, PHONE if size.startswith("phone") else DESKTOP, "large" in size
                )
                for size in SIZES
            }
            if role != "public":
                for context in contexts.values():
                    log_in(context, role, DEMO_PASSWORD)
            pages = Walk(contexts["phone"], url, per_route=per_route).crawl(["/"])
            tabs = {size: context.new_page() for size, context in contexts.items()}
            folder = out / role
            folder.mkdir(parents=True, exist_ok=True)
            names: dict[str, int] = {}
            shot[role] = []
            for page_url in pages:
                stem = route_name(page_url)
                names[stem] = names.get(stem, 0) + 1
                if names[stem] > 1:
                    stem = f"{stem}-{names[stem]}"
                for size, tab in tabs.items():
                    try:
                        render(tab, page_url)
                        tab.screenshot(path=str(folder / f"{stem}-{size}.png"), full_page=True)
                    except Exception as error:  # noqa: BLE001 -- one bad page must not stop the rest
                        print(f"{role} {page_url} ({size}): {error}", file=sys.stderr)
                shot[role].append(f"{stem}\t{page_url}")
            print(f"{role}: {len(pages)} pages")
            for context in contexts.values():
                context.close()
        browser.close()
    return shot


def write_index(shot: dict[str, list[str]], out: Path) -> Path:
    parts = [
        "<!doctype html><html lang='zh-Hans'><meta charset='utf-8'>",
        "<title>Screenshots</title><style>body{font-family:sans-serif;margin:1rem}"
        "figure{display:inline-block;margin:.25rem;vertical-align:top}"
        "img{width:160px;border:1px solid #ccc}figcaption{font-size:.75rem}"
        "section{border-top:2px solid #333;margin-top:1rem}</style>",
        "<h1>Screenshots</h1><p>",
        " · ".join(f"<a href='#{html.escape(role)}'>{html.escape(role)}</a>" for role in shot),
        "</p>",
    ]
    for role, rows in shot.items():
        parts.append(f"<section id='{html.escape(role)}'><h2>{html.escape(role)}</h2>")
        for row in rows:
            stem, page_url = row.split("\t")
            parts.append(f"<h3>{html.escape(page_url)}</h3>")
            for size in SIZES:
                src = html.escape(f"{role}/{stem}-{size}.png")
                parts.append(
                    f"<figure><a href='{src}'><img src='{src}' alt='' loading='lazy'></a>"
                    f"<figcaption>{size}</figcaption></figure>"
                )
        parts.append("</section>")
    index = out / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running portal (else the demo is served for the run)")
    parser.add_argument("--roles", help="comma-separated demo usernames and/or 'public'")
    parser.add_argument("--per-route", type=int, default=1, help="pages per URL route (1)")
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    options = parser.parse_args()

    if options.url:  # settings are read for the URL routes only: no database is touched
        os.environ.setdefault("DATABASE_URL", "postgres://unused@127.0.0.1:1/unused")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from core.demo.district import DEMO_ACCOUNTS

    roles = ["public", *(account.username for account in DEMO_ACCOUNTS)]
    if options.roles:
        roles = [role.strip() for role in options.roles.split(",") if role.strip()]
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)

    server = None
    url = options.url.rstrip("/") if options.url else None
    if url is None:
        url, server = serve_demo()
    try:
        shot = shoot(url, roles, options.per_route, out)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(15)
    print(f"open {write_index(shot, out)}")


if __name__ == "__main__":
    main()
