"""The Jenkins choice's Jenkinsfile: Groovy that CodeNarc reads cleanly, with stages that only call the Makefile.

No Jenkins controller or declarative-pipeline validator installs here: npm-groovy-lint
(CodeNarc, with its Jenkinsfile rule set) is installed once with ``npm ci`` from
``tests/groovy_lint/package-lock.json`` and lints the file as Groovy, which catches
syntax errors and CodeNarc's Jenkinsfile findings, not unknown pipeline steps.
Marked slow: the linter's JVM takes tens of seconds to start.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from mlops_template.catalog import TEMPLATE_ROOT
from tests.helpers import CATALOG, defaults, npm_packages

GROOVY_LINT = Path(__file__).parent / "groovy_lint"
VARIANTS = {
    "with-image": defaults(CATALOG, ci_cd="jenkins"),
    "no-image": defaults(CATALOG, ci_cd="jenkins", packaging="none"),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def jenkinsfiles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    files = {}
    for name, answers in VARIANTS.items():
        output = tmp_path_factory.mktemp(name)
        project = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, extra_context=answers, output_dir=str(output)))
        files[name] = (project / "Jenkinsfile").read_text(encoding="utf-8")
    return files


def test_codenarc_finds_nothing_in_the_jenkinsfiles(jenkinsfiles: dict[str, str], tmp_path: Path) -> None:
    for name, text in jenkinsfiles.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "Jenkinsfile").write_text(text, encoding="utf-8")
    linter = npm_packages(GROOVY_LINT) / "node_modules" / ".bin" / "npm-groovy-lint"
    command = [str(linter), "--config", "recommended-jenkinsfile", "--failon", "info", "--noserver", "--output", "txt"]
    result = subprocess.run(
        [*command, *(f"{name}/Jenkinsfile" for name in jenkinsfiles)], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(jenkinsfiles)} linted files" in re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)


def test_a_broken_jenkinsfile_is_reported(tmp_path: Path) -> None:
    (tmp_path / "Jenkinsfile").write_text(
        "pipeline {\n    stages {\n        stage(Lint {\n    }\n}\n", encoding="utf-8"
    )
    linter = npm_packages(GROOVY_LINT) / "node_modules" / ".bin" / "npm-groovy-lint"
    result = subprocess.run(
        [str(linter), "--config", "recommended-jenkinsfile", "--failon", "error", "--noserver", "Jenkinsfile"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0, result.stdout


def test_stages_call_only_the_makefile_and_build_only_with_an_image(jenkinsfiles: dict[str, str]) -> None:
    for name, text in jenkinsfiles.items():
        stages = re.findall(r"stage\('([^']+)'\)", text)
        expected = ["Lint and test", "Install", "Lint", "Test"] + (["Build"] if name == "with-image" else [])
        assert stages == expected, name
        for command in re.findall(r"\bsh '([^']+)'", text):
            assert re.fullmatch(r"(python -m venv \.venv && )?(\. \.venv/bin/activate && )?make [a-z -]+", command), (
                command
            )
        assert f"image 'python:{VARIANTS[name]['python_version']}'" in text
