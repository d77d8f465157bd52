"""The SPA's bytes: gzipped JS and CSS per screen, and every file up front (the naive figure).

The Vite manifest (dist/.vite/manifest.json) names each screen's chunks; a screen costs its
entry chunk and the screen's lazy chunk with their static imports and CSS, gzipped at level 9
(the same rule as apps/web/scripts/size.mjs). The naive figure is every JS and CSS file in
dist/assets loaded up front, as a single bundle without code splitting would.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class ScreenBytes:
    screen: str
    files: int
    js: int
    css: int

    @property
    def total(self) -> int:
        return self.js + self.css


def _gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def bundle_sizes(dist: Path) -> tuple[list[ScreenBytes], ScreenBytes, str]:
    """Per screen, then everything; the third value says how the screens were found."""
    manifest_path = dist / ".vite" / "manifest.json"
    everything = [p for p in (dist / "assets").iterdir() if p.suffix in (".js", ".css")]
    naive = ScreenBytes(
        "every JS+CSS file up front",
        len(everything),
        sum(_gzipped(p) for p in everything if p.suffix == ".js"),
        sum(_gzipped(p) for p in everything if p.suffix == ".css"),
    )
    if not manifest_path.exists():
        # No manifest: what index.html loads is all we can attribute to a screen.
        html = (dist / "index.html").read_text()
        files = set(re.findall(r'(?:src|href)="/(assets/[^"]+\.(?:js|css))"', html))
        screen = _measure(dist, files, "index.html (no manifest)")
        return [screen], naive, "index.html only (no Vite manifest)"
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())

    def closure(key: str, files: set[str]) -> set[str]:
        chunk = manifest.get(key)
        if chunk is None or chunk["file"] in files:
            return files
        files.add(chunk["file"])
        files.update(chunk.get("css", []))
        for imported in chunk.get("imports", []):
            closure(imported, files)
        return files

    def find(suffix: str) -> str | None:
        return next((key for key in manifest if key.endswith(suffix)), None)

    entry = next(key for key, chunk in manifest.items() if chunk.get("isEntry"))
    screens = []
    for name, suffix in (
        ("login page (/login)", "src/features/auth/LoginPage.tsx"),
        ("table page (/keys)", "src/features/keys/KeysPage.tsx"),
    ):
        screen_key = find(suffix)
        files = closure(entry, set())
        if screen_key is not None:
            closure(screen_key, files)
        screens.append(_measure(dist, files, name))
    return screens, naive, "Vite manifest: entry + screen chunk + static imports + CSS"


def _measure(dist: Path, files: set[str], name: str) -> ScreenBytes:
    js = sum(_gzipped(dist / f) for f in files if f.endswith(".js"))
    css = sum(_gzipped(dist / f) for f in files if f.endswith(".css"))
    return ScreenBytes(name, len(files), js, css)
