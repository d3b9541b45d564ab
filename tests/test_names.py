"""Names people type: any project name gives a valid slug and a project whose every file parses."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from mlops_template.catalog import TEMPLATE_ROOT
from tests.helpers import tool

NAMES = {
    "Iris Classifier": "iris-classifier",
    "Fraud Detection (v2)": "fraud-detection-v2",
    "O'Reilly ML": "o-reilly-ml",
    "Café Model": "cafe-model",
    "ML.Ops Platform": "ml-ops-platform",
    "모두의 MLOps": "moduyi-mlops",
    'Say "Hi" \\ Model': "say-hi-model",
}
PARSERS = {
    ".py": ast.parse,
    ".toml": tomllib.loads,
    ".yml": yaml.safe_load,
    ".yaml": yaml.safe_load,
    ".json": json.loads,
}


def _bake(tmp_path: Path, name: str, *answers: str) -> Path:
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_ROOT), "-o", str(tmp_path)]
    result = subprocess.run([*command, f"project_name={name}", *answers], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    [project] = tmp_path.iterdir()
    return project


@pytest.mark.parametrize("name", NAMES, ids=NAMES.values())
def test_name_gives_an_ascii_slug_and_files_that_parse(tmp_path: Path, name: str) -> None:
    project = _bake(tmp_path, name, "orchestration=kubeflow", f"description=About {name}", f"author_name={name}")
    assert project.name == NAMES[name]
    assert re.fullmatch(r"[a-z][a-z0-9-]*", project.name)
    for path in project.rglob("*"):
        if path.suffix in PARSERS:
            PARSERS[path.suffix](path.read_text(encoding="utf-8"))
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == f"About {name}"
    assert pyproject["project"]["authors"][0]["name"] == name
    package = project / "src" / project.name.replace("-", "_")
    assert ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) == f"About {name}"
    assert (project / "README.md").read_text(encoding="utf-8").startswith(f"# {name}\n")
    result = subprocess.run([tool("hadolint"), str(project / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert f"org.opencontainers.image.title={json.dumps(name, ensure_ascii=False)}" in (
        project / "Dockerfile"
    ).read_text(encoding="utf-8")
