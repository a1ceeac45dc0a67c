"""The wheel carries what the service reads at run time: the ontology, the data tables and the explorer
(its page, its own script and style, and the npm libraries it serves, as installed in web/node_modules by
`make web`).  They are copied into ``graph/_resources`` of the build, where ``graph.config`` finds them
when the package runs outside a checkout.  Everything else is in pyproject.toml."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def resources() -> list[tuple[Path, str]]:
    """(source file, path under graph/_resources) for every file the service reads at run time."""
    files = [(f, f"ontology/{f.name}") for f in sorted((HERE / "ontology").glob("*.ttl"))]
    files += [(f, f.relative_to(HERE).as_posix()) for f in sorted((HERE / "data").rglob("*"))
              if f.is_file() and "build" not in f.relative_to(HERE / "data").parts]
    files += [(HERE / "web" / "index.html", "web/index.html"), (HERE / "web" / "vendor.json", "web/vendor.json")]
    files += [(f, f"web/static/{f.name}") for f in sorted((HERE / "web" / "static").iterdir()) if f.is_file()]
    vendor = json.loads((HERE / "web" / "vendor.json").read_text())
    for path, _media in vendor.values():
        source = HERE / "web" / "node_modules" / path
        if not source.is_file():
            raise SystemExit(f"{source}: not installed; run 'make web' (npm ci in web/) before building the wheel")
        files.append((source, f"web/node_modules/{path}"))
    return files


class BuildWithResources(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout itself
            return
        target = Path(self.build_lib) / "graph" / "_resources"
        for source, name in resources():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)


setup(cmdclass={"build_py": BuildWithResources})
