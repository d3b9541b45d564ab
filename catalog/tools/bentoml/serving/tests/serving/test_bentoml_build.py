"""What `bentoml build` reads and writes: `bentofile.yaml`, and the service's OpenAPI document."""

from __future__ import annotations

import tomllib
from pathlib import Path

import bentoml
from bentoml._internal.bento.build_config import BentoBuildConfig, BentoPathSpec

from {{ cookiecutter.package_name }}.service import SERVICE, Classifier

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _bentofile() -> BentoBuildConfig:
    # The parser and defaults `bentoml build` applies; unknown keys are errors there.
    return BentoBuildConfig.from_file(str(PROJECT_ROOT / "bentofile.yaml")).with_defaults()


def test_bentofile_builds_the_service_bentoml_serves() -> None:
    config = _bentofile()
    assert config.service == SERVICE
    assert bentoml.load(config.service) is Classifier


def test_bentofile_ships_the_package_and_its_dependencies() -> None:
    config = _bentofile()
    files = BentoPathSpec(config.include, config.exclude, str(PROJECT_ROOT))
    sources = [path.relative_to(PROJECT_ROOT).as_posix() for path in (PROJECT_ROOT / "src").rglob("*.py")]
    assert sources
    assert all(files.includes(source) for source in sources)
    assert not files.includes("tests/conftest.py")
    assert config.python.is_src_layout

    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert sorted(config.python.packages or []) == sorted(pyproject["project"]["dependencies"])


def test_openapi_document_describes_both_routes() -> None:
    # The document BentoML's Swagger UI on / loads, and `bentoml build` writes into the Bento.
    spec = Classifier.openapi_spec.asdict()
    request = spec["paths"]["/predict"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert request["example"]["instances"]
    assert "get" in spec["paths"]["/health"]
