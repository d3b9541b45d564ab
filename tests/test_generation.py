"""Bake every valid stack with pytest-cookies and check the output the way its tools would."""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlops_template.answers import ANSWERS_FILE
from mlops_template.assemble import build_stack
from mlops_template.catalog import TEMPLATE_ROOT, Catalog
from mlops_template.generate import resolve
from tests.helpers import CATALOG, PROJECT_TEMPLATE, matrix, stack_id, tool

MATRIX = matrix(CATALOG)
# What an unrendered template leaves: a Jinja block or comment, or one of the template's own
# variables. Other double braces are the generated files' own syntax (GitHub's ${{ }}, CircleCI's
# {{ checksum }} cache keys).
TEMPLATE_MARKER = re.compile(r"\{\{-?\s*(cookiecutter|stack)\b|\{%|%\}|\{#|#\}")


@pytest.fixture(scope="module", params=MATRIX, ids=stack_id)
def baked(request: pytest.FixtureRequest, cookies_session: Any) -> tuple[dict[str, str], Path]:
    answers = request.param
    result = cookies_session.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    return answers, Path(result.project_path)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _renamed(name: str, names: dict[str, str] | None = None) -> str:
    """A template path as the project names it (by default, the default answers' names)."""
    names = names or {"package_name": "iris_classifier", "project_slug": "iris-classifier"}
    for key in ("package_name", "project_slug"):
        name = name.replace(f"{{{{cookiecutter.{key}}}}}", names[key])
    return name


SHARED_FILES = {
    "pyproject.toml",
    "Makefile",
    "README.md",
    ".env.example",
    ".gitignore",
    ".pre-commit-config.yaml",
    "tests/conftest.py",
    ANSWERS_FILE,
}


def expected_files(catalog: Catalog, answers: dict[str, str]) -> set[str]:
    """The project template's files plus each chosen offer's folder, renamed, plus the assembled files."""
    rendered = {_renamed(f) for f in _files(PROJECT_TEMPLATE)}
    chosen = catalog.chosen_offers(answers)
    for offer in chosen:
        # Files that wait for a capability no chosen tool has are not written.
        waiting = [
            glob for name, globs in offer.only_with.items() if not any(o.has(name) for o in chosen) for glob in globs
        ]
        for files_dir in offer.files_dirs:
            if files_dir.is_dir():
                written = {f for f in _files(files_dir) if not any(fnmatch.fnmatchcase(f, g) for g in waiting)}
                rendered |= {_renamed(f) for f in written}
    licence = {"LICENSE"} if answers["license"] != "Proprietary" else set()
    compose = (
        {"compose.yaml"} if any(o.compose.get("project_services") for o in catalog.chosen_offers(answers)) else set()
    )
    return rendered | SHARED_FILES | licence | compose


def test_exact_file_set(baked: tuple[dict[str, str], Path], catalog: Catalog) -> None:
    answers, project = baked
    assert _files(project) == expected_files(catalog, answers)


def _verbatim_files(catalog: Catalog, answers: dict[str, str], names: dict[str, str] | None = None) -> set[str]:
    """The files copied untouched: their braces are the tool's own (alert templates, Helm's values)."""
    return {
        _renamed(name, names)
        for offer in catalog.chosen_offers(answers)
        for files_dir in offer.files_dirs
        if files_dir.is_dir()
        for name in _files(files_dir)
        if any(fnmatch.fnmatchcase(name, glob) for glob in offer.verbatim)
    }


def test_no_template_markers_left(baked: tuple[dict[str, str], Path], catalog: Catalog) -> None:
    answers, project = baked
    verbatim = _verbatim_files(catalog, answers)
    for path in project.rglob("*"):
        if path.is_file() and path.relative_to(project).as_posix() not in verbatim:
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                assert not TEMPLATE_MARKER.search(line), f"{path.name}:{number}: {line}"


def test_python_passes_ruff(baked: tuple[dict[str, str], Path]) -> None:
    _, project = baked
    for command in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        result = subprocess.run([tool("ruff"), *command], cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def _foreign_templates(catalog: Catalog, answers: dict[str, str]) -> tuple[str, ...]:
    return tuple(glob for offer in catalog.chosen_offers(answers) for glob in offer.foreign_templates)


def test_data_files_parse(baked: tuple[dict[str, str], Path], catalog: Catalog) -> None:
    """Every data file parses, but another tool's templates (a Helm chart's): that tool's own linter checks them."""
    answers, project = baked
    foreign = _foreign_templates(catalog, answers)
    parsers = {".yml": yaml.safe_load, ".yaml": yaml.safe_load, ".json": json.loads, ".toml": tomllib.loads}
    checked = 0
    for path in project.rglob("*"):
        relative = path.relative_to(project).as_posix()
        if path.suffix in parsers and not any(fnmatch.fnmatchcase(relative, glob) for glob in foreign):
            parsers[path.suffix](path.read_text())
            checked += 1
    assert checked >= 3


def test_workflow_passes_actionlint(baked: tuple[dict[str, str], Path]) -> None:
    _, project = baked
    if not (project / ".github" / "workflows").is_dir():
        pytest.skip("no GitHub Actions workflow in this stack")
    workflows = sorted(str(p) for p in (project / ".github" / "workflows").glob("*.yml"))
    result = subprocess.run([tool("actionlint"), *workflows], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert yaml.safe_load((project / workflows[0]).read_text())["permissions"] == {"contents": "read"}
    audit = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", str(project / ".github")], capture_output=True, text=True
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_files_match_their_published_schemas(baked: tuple[dict[str, str], Path], catalog: Catalog) -> None:
    """The files each chosen tool names in ``published_schemas``, and the team stack's compose.yaml."""
    answers, project = baked
    declared = {
        path: schema for offer in catalog.chosen_offers(answers) for path, schema in offer.published_schemas.items()
    }
    missing = [path for path in declared if not (project / path).is_file()]
    assert not missing, f"published_schemas names files the stack does not write: {missing}"
    if (project / "compose.yaml").is_file():
        declared["compose.yaml"] = "vendor.compose-spec"  # assembled from every chosen tool's services
    if not declared:
        pytest.skip("no file with a published schema in this stack")
    for path, schema in declared.items():
        command = [tool("check-jsonschema"), "--builtin-schema", schema, str(project / path)]
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0, f"{path} ({schema}):\n{result.stdout}{result.stderr}"


def test_text_files_end_with_one_newline_and_no_trailing_spaces(baked: tuple[dict[str, str], Path]) -> None:
    _, project = baked
    for path in project.rglob("*"):
        if path.is_file() and (text := path.read_text()):
            assert text.endswith("\n") and not text.endswith("\n\n"), f"{path.name}: end of file"
            assert not re.search(r"[ \t]$", text, re.MULTILINE), f"{path.name}: trailing whitespace"


def test_gitlab_pipeline_has_lint_and_test_jobs(baked: tuple[dict[str, str], Path]) -> None:
    _, project = baked
    pipeline = project / ".gitlab-ci.yml"
    if not pipeline.exists():
        pytest.skip("no GitLab CI pipeline in this stack")
    jobs = {key for key, value in yaml.safe_load(pipeline.read_text()).items() if isinstance(value, dict)}
    assert {"lint", "test"} <= jobs


def test_dockerfile_passes_hadolint(baked: tuple[dict[str, str], Path]) -> None:
    answers, project = baked
    dockerfile = project / "Dockerfile"
    if not dockerfile.exists():
        pytest.skip("no container image in this stack")
    result = subprocess.run([tool("hadolint"), str(dockerfile)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    text = dockerfile.read_text()
    assert re.findall(r"^FROM \S+ AS (\w+)$", text, re.MULTILINE) == ["build", "runtime"]
    assert f"python:{answers['python_version']}-slim" in text
    assert "HEALTHCHECK" in text and "USER 10001" in text


def _requirements(catalog: Catalog, answers: dict[str, str], kind: str) -> list[str]:
    base = {"packages": catalog.base_packages, "dev_packages": catalog.base_dev_packages}[kind]
    chosen = [p for offer in catalog.chosen_offers(answers) for p in getattr(offer, kind)]
    return sorted(set(base) | set(chosen))


def test_dependencies_come_from_the_catalog(baked: tuple[dict[str, str], Path], catalog: Catalog) -> None:
    answers, project = baked
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["dependencies"] == _requirements(catalog, answers, "packages")
    extras = pyproject["project"]["optional-dependencies"]
    assert extras.pop("dev") == _requirements(catalog, answers, "dev_packages")
    # Extra packages may choose their extras by a channel (DVC's plugin for the object store): compare rendered.
    stack = build_stack(catalog, resolve(TEMPLATE_ROOT, catalog, answers))
    assert extras == stack.extras
    assert set(extras) == {o.tool_id for o in catalog.chosen_offers(answers) if o.extra_packages}
    assert pyproject["project"]["requires-python"] == f">={answers['python_version']}"
    overrides = sorted({o for offer in catalog.chosen_offers(answers) for o in offer.dependency_overrides})
    assert pyproject["tool"].get("uv", {}).get("override-dependencies", []) == overrides


def test_pre_commit_runs_the_base_hooks_and_the_chosen_tools_hooks(
    baked: tuple[dict[str, str], Path], catalog: Catalog
) -> None:
    answers, project = baked
    [repo] = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
    expected = [hook["id"] for hook in catalog.base_pre_commit]
    expected += [hook["id"] for offer in catalog.chosen_offers(answers) for hook in offer.pre_commit]
    assert repo["repo"] == "local" and [hook["id"] for hook in repo["hooks"]] == expected
    assert {hook["language"] for hook in repo["hooks"]} == {"system"}, "a hook that downloads breaks offline commits"


def test_foreign_templates_are_verbatim_and_skipped_by_the_yaml_check(
    baked: tuple[dict[str, str], Path], catalog: Catalog
) -> None:
    """Files in another tool's template language are copied untouched, and check-yaml does not parse them."""
    answers, project = baked
    foreign = _foreign_templates(catalog, answers)
    written = [p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()]
    templates = {name for name in written if any(fnmatch.fnmatchcase(name, glob) for glob in foreign)}
    assert bool(templates) == bool(foreign), "a foreign_templates glob that matches no file"
    assert templates <= _verbatim_files(catalog, answers)
    [repo] = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
    [check_yaml] = [hook for hook in repo["hooks"] if hook["id"] == "check-yaml"]
    excluded = {name for name in written if re.search(check_yaml.get("exclude", "^$"), name)}
    assert excluded == templates


def test_make_help_lists_every_target_with_its_help(baked: tuple[dict[str, str], Path], catalog: Catalog) -> None:
    answers, project = baked
    listed = subprocess.run(["make", "help"], cwd=project, capture_output=True, text=True, check=True).stdout
    rows = {line.split(maxsplit=1)[0]: line.split(maxsplit=1)[1] for line in listed.splitlines()}
    for target in (t for offer in catalog.chosen_offers(answers) for t in offer.make):
        assert target.target in rows, f"make help does not list {target.target}"
    assert {"install", "lint", "test", "test-all", "train", "monitor"} <= set(rows)


def test_readme_shows_the_chosen_stack(baked: tuple[dict[str, str], Path], catalog: Catalog) -> None:
    answers, project = baked
    readme = (project / "README.md").read_text()
    rows = re.findall(r"^\| ([^|]+) \| (?:\[([^]]+)\]\(https://[^)]+\)|([^|]+)) \|$", readme, re.MULTILINE)
    stack = {stage: linked or plain for stage, linked, plain in rows if stage not in {"Stage", "Path"}}
    expected = {catalog.stage(s.id).label: s.offer(answers[s.id]).label for s in catalog.prompted_stages}
    assert {k: v for k, v in stack.items() if k in expected} == expected


def _step_calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "steps"
    }


def _step_commands(path: Path, steps: set[str]) -> set[str]:
    """The steps a module runs as the project's step command, ``iris-classifier-step <step>`` (one container per step).

    An orchestrator that runs commands instead of calling ``steps`` names the command
    and every step it runs as string literals.
    """
    literals = {
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    return literals & steps if "iris-classifier-step" in literals else set()


ML_LIBRARIES = {"sklearn", "pandas", "numpy", "joblib"}
# What an orchestrator may take from the project besides ``steps``: settings and the hyper-parameter record.
WIRING_IMPORTS = {"iris_classifier.config": {"Settings"}, "iris_classifier.model": {"TrainingParams"}}


def _ml_imports(path: Path) -> list[str]:
    """Imports that would mean ML logic lives in an orchestrator module instead of the steps."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] in ML_LIBRARIES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if node.module.split(".")[0] in ML_LIBRARIES:
                found.append(node.module)
            elif node.module.startswith("iris_classifier.") and not names <= WIRING_IMPORTS.get(node.module, set()):
                found.append(f"{node.module}: {sorted(names)}")
            elif node.module == "iris_classifier" and names != {"steps"}:
                found.append(f"iris_classifier: {sorted(names)}")
    return found


def test_every_orchestrator_calls_the_same_steps_and_holds_no_ml_code(
    baked: tuple[dict[str, str], Path], catalog: Catalog
) -> None:
    answers, project = baked
    package = project / "src" / "iris_classifier"
    step_functions = {
        node.name
        for node in ast.parse((package / "steps.py").read_text()).body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }
    assert step_functions == {"ingest", "split", "train", "evaluate", "register"}
    assert _step_calls(package / "pipeline.py") == step_functions
    orchestrator = catalog.stage("orchestration").offer(answers["orchestration"])
    assert orchestrator is not None
    source = orchestrator.files_dir
    relative = [p.relative_to(source) for p in source.rglob("*.py")] if source.is_dir() else []
    # The launch module starts the orchestrator's definition; the definitions call the steps.
    launcher = catalog.stage("orchestration").interface
    modules = [
        project / path.as_posix().replace("{{cookiecutter.package_name}}", "iris_classifier")
        for path in relative
        if "tests" not in path.parts and path.as_posix() != launcher
    ]
    for module in modules:
        assert (_step_calls(module) or _step_commands(module, step_functions)) == step_functions, module.name
        assert _ml_imports(module) == [], f"{module.name} holds ML code of its own"


def test_saved_answers_are_the_bake_answers(baked: tuple[dict[str, str], Path]) -> None:
    answers, project = baked
    saved = json.loads((project / ANSWERS_FILE).read_text())["cookiecutter"]
    assert {key: saved[key] for key in answers} == answers
    assert {key for key in saved if key.startswith("_")} == {q.context_key for q in CATALOG.follow_ups}


def test_licence_file_matches_the_answer(baked: tuple[dict[str, str], Path]) -> None:
    answers, project = baked
    readme = (project / "README.md").read_text()
    if answers["license"] == "Proprietary":
        assert not (project / "LICENSE").exists()
        assert "there is no LICENSE file" in readme
        return
    text = (project / "LICENSE").read_text()
    titles = {"MIT": "MIT License", "BSD-3-Clause": "BSD 3-Clause License", "Apache-2.0": "Apache License"}
    assert text.lstrip().startswith(titles[answers["license"]])
    assert answers["license"] == "Apache-2.0" or "Your Name" in text


def test_no_function_is_written_twice(baked: tuple[dict[str, str], Path]) -> None:
    """A helper two tool modules need is generated once (a tool's shared files), not copied into each."""
    _, project = baked
    first_seen: dict[str, Path] = {}
    for module in sorted((project / "src").rglob("*.py")):
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                source = ast.unparse(node)
                assert source not in first_seen, f"{node.name} is in {first_seen.get(source)} and in {module}"
                first_seen[source] = module


def test_mypy_skips_type_checking_only_of_packages_that_ship_no_types(baked: tuple[dict[str, str], Path]) -> None:
    """A global ignore_missing_imports would hide a module importing a package that is not installed."""
    _, project = baked
    mypy = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]
    assert "ignore_missing_imports" not in mypy
    [override] = mypy["overrides"]
    assert override["ignore_missing_imports"] is True
    assert {"sklearn", "sklearn.*", "joblib"} <= set(override["module"])


def test_make_install_refuses_an_interpreter_older_than_requires_python(cookies: Any, tmp_path: Path) -> None:
    """Without uv, pip installs with whatever ``python`` is: the Makefile checks it first and says what to use."""
    if sys.version_info >= (3, 12):
        pytest.skip("needs an interpreter older than 3.12 to stand in for the wrong one")
    result = cookies.bake(extra_context={"python_version": "3.12"})
    assert result.exit_code == 0, result.exception
    calls = tmp_path / "calls"
    # A real Python 3.11 that records how it is called and never lets pip run: the check must come first.
    fake = tmp_path / "bin" / "python"
    fake.parent.mkdir()
    fake.write_text(
        f'#!/bin/sh\necho "$*" >> {calls}\ncase "$*" in *pip*) exit 99;; esac\nexec {sys.executable} "$@"\n'
    )
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(tmp_path)}
    make = subprocess.run(["make", "install"], cwd=result.project_path, env=env, capture_output=True, text=True)
    assert make.returncode != 0
    assert "needs Python 3.12 or newer" in make.stderr
    assert "python3.12 -m venv .venv" in make.stderr
    assert "pip" not in calls.read_text()


def _starts_with_the_interpreter(expression: ast.expr, lists: dict[str, ast.expr]) -> bool:
    """``[sys.executable, ...]``, or a name (or ``*name``) bound to such a list in the module."""
    if isinstance(expression, ast.Starred | ast.Name):
        name = expression.value if isinstance(expression, ast.Starred) else expression
        return isinstance(name, ast.Name) and name.id in lists and _starts_with_the_interpreter(lists[name.id], {})
    if isinstance(expression, ast.List) and expression.elts:
        first = expression.elts[0]
        return ast.unparse(first) == "sys.executable" or _starts_with_the_interpreter(first, lists)
    return False


def _commands_run_by_name(module: Path) -> list[str]:
    """The commands a test module starts by a bare name, looked up on PATH (not ``sys.executable ...``).

    A helper that runs a command its caller hands it (a parameter) is left to the callers.
    """
    tree = ast.parse(module.read_text())
    lists = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func).startswith("subprocess.") and node.args
    ]
    handed_in = set()
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        parameters = {argument.arg for argument in ast.walk(function.args) if isinstance(argument, ast.arg)}
        for call in [n for n in ast.walk(function) if n in calls]:
            if {n.id for n in ast.walk(call.args[0]) if isinstance(n, ast.Name)} & parameters:
                handed_in.add(call)
    return [
        f"line {call.lineno}: {ast.unparse(call.args[0])[:60]}"
        for call in calls
        if call not in handed_in and not _starts_with_the_interpreter(call.args[0], lists)
    ]


def test_generated_tests_find_the_projects_commands_without_an_activated_venv(
    baked: tuple[dict[str, str], Path],
) -> None:
    """``.venv/bin/python -m pytest`` leaves PATH as it is: a test that runs a command by name puts the
    interpreter's scripts folder first, so the venv's console scripts are the ones found."""
    _, project = baked
    for module in sorted((project / "tests").rglob("*.py")):
        by_name = _commands_run_by_name(module)
        if by_name:
            assert "Path(sys.executable).parent" in module.read_text(), f"{module.name} runs {by_name} from PATH"
