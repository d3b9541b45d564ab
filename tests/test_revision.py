"""What generation records about the template checkout it renders (one git call, no network)."""

from __future__ import annotations

from pathlib import Path

from mlops_template.revision import TemplateSource, describe, head_commit
from tests.helpers import git


def _repository(path: Path) -> tuple[Path, str]:
    path.mkdir()
    git(path, "init", "-q")
    git(path, "commit", "-q", "--allow-empty", "-m", "template")
    return path, git(path, "rev-parse", "HEAD").strip()


def test_a_checkout_records_its_head_and_path(tmp_path: Path) -> None:
    repo, commit = _repository(tmp_path / "template")
    assert describe(repo, str(repo)) == TemplateSource(commit, str(repo))
    assert describe(repo, ".") == TemplateSource(commit, str(repo)), "cookiecutter's relative path names the checkout"


def test_a_dirty_checkout_still_records_its_head(tmp_path: Path) -> None:
    repo, commit = _repository(tmp_path / "template")
    (repo / "cookiecutter.json").write_text("{}")
    assert head_commit(repo) == commit


def test_a_url_is_kept_as_the_location(tmp_path: Path) -> None:
    clone, commit = _repository(tmp_path / "clone")
    url = "https://example.com/team/mlops-template.git"
    assert describe(clone, url) == TemplateSource(commit, url)
    assert describe(clone, "gh:team/mlops-template") == TemplateSource(commit, "gh:team/mlops-template")


def test_cruft_records_the_repository_it_cloned_not_its_temporary_clone(tmp_path: Path) -> None:
    original, commit = _repository(tmp_path / "template")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(original), str(clone))
    assert describe(clone, str(original)) == TemplateSource(commit, str(original))


def test_an_installed_copy_records_nothing(tmp_path: Path) -> None:
    outer, _ = _repository(tmp_path / "project")
    installed = outer / ".venv" / "site-packages" / "mlops_template" / "template"
    installed.mkdir(parents=True)
    assert head_commit(installed) is None, "an installed copy inside a repository is not that repository"
    assert describe(installed, str(installed)) == TemplateSource()
    assert describe(tmp_path, "") == TemplateSource()
