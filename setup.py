"""Ship the template inside the wheel, so `pipx run --spec <repo> mlops-template` and
`uvx --from <repo> mlops-template` work without a checkout.

Only the wheel gets the copy (under ``mlops_template/template``); an editable
install and the hooks use the checkout itself. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# The parts of the repository that cookiecutter reads when it generates a project.
TEMPLATE_PARTS = (
    "cookiecutter.json",
    "pyproject.toml",
    "catalog",
    "hooks",
    "templates",
    "{{cookiecutter.project_slug}}",
)


class BuildPyWithTemplate(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "mlops_template" / "template"
        shutil.rmtree(target, ignore_errors=True)  # build/ outlives builds: no stale template files
        for part in map(Path, TEMPLATE_PARTS):
            if part.is_dir():
                ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
                shutil.copytree(part, target / part, dirs_exist_ok=True, ignore=ignore)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(part, target / part)


setup(cmdclass={"build_py": BuildPyWithTemplate})
