"""Screenshot the explorer's map view of the national flows into a PNG (the README's picture).

    python tools/screenshot_map.py docs/img/map-flows.png [--lang en|zh] [--level province] [--colour programme]

Starts `pakg serve` on a free loopback port (the curated data), opens `#/map` in Debian's headless
Chromium through Playwright (the browser of the tests: `make browser` installs it), waits until the map is
drawn and takes a picture of the map alone (its SVG, with its title, legend and source line).  Nothing
leaves loopback: a request to any other address is aborted and reported.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import LiveServer, chromium  # noqa: E402

READY = "() => window.pakgMap && document.querySelector('#map-dl-png')?.dataset.ready === 'true'"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--lang", choices=["en", "zh"], default="en", help="the language of the labels")
    parser.add_argument("--level", default="province", help="the level of both ends (as /network's level=)")
    parser.add_argument("--colour", choices=["programme", "field"], default="programme", help="flows coloured by")
    args = parser.parse_args(argv)
    live = LiveServer()
    outside: list[str] = []
    try:
        with chromium() as browser:
            context = browser.new_context(
                viewport={"width": 1400, "height": 1200},
                device_scale_factor=1.5,
                locale="zh-CN" if args.lang == "zh" else "en-GB",
            )
            page = context.new_page()

            def loopback_only(route) -> None:
                if route.request.url.startswith((live.url, "data:", "blob:")):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", loopback_only)
            query = urllib.parse.urlencode({"level": args.level, "colour": args.colour})
            page.goto(f"{live.url}/#/map?{query}")
            page.wait_for_function(READY, timeout=120_000)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.locator("#map svg").screenshot(path=str(args.out))
            drawn = page.evaluate("() => window.pakgMap")
            context.close()
    finally:
        live.stop()
    if outside:
        print(f"requests beyond loopback were blocked: {outside}", file=sys.stderr)
        return 1
    print(f"{args.out}: {drawn['nodes']} located nodes, {drawn['flows']} flows ({drawn['url']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
