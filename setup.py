"""The one build step pyproject.toml cannot declare: the app's data goes into the package.

templates/, static/ and translations/ stay at the top of the checkout, beside app/. In
the wheel they are app/templates, app/static and app/translations, where
``app.data_folder`` finds them once installed. The catalogues are compiled on the way
(the ``.mo`` files are not kept in git). An editable install needs none of this: the
app reads the checkout's folders. See README, "Packaging".
"""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    """``build_py``, then templates/ and static/ copied into app/, each catalogue compiled."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib, "app")
        for folder in ("templates", "static", "translations"):
            shutil.rmtree(package / folder, ignore_errors=True)  # nothing left from a last build
        for folder in ("templates", "static"):
            shutil.copytree(HERE / folder, package / folder,
                            ignore=shutil.ignore_patterns(".*", "__pycache__"))
        for po in sorted((HERE / "translations").glob("*/LC_MESSAGES/*.po")):
            mo = package / po.relative_to(HERE).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


setup(cmdclass={"build_py": BuildWithData})
