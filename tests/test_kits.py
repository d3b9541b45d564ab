"""Kits (``catalog/kits/<id>/``): a block several tools need, written once and generated once.

The local AWS kit (moto's server, its test plugin) is used by the S3 storage and the
SageMaker registry; the object-store channel carries the bucket to the tools that keep files.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mlops_template.assemble import assemble, build_stack
from mlops_template.errors import CatalogError
from mlops_template.generate import resolve
from mlops_template.linker import resolve_uses
from mlops_template.model import Offer
from tests.helpers import CATALOG, TEMPLATE_ROOT, defaults


def _stack_env(**answers: str) -> dict[str, str]:
    stack = build_stack(CATALOG, resolve(TEMPLATE_ROOT, CATALOG, defaults(CATALOG, **answers)))
    return {var.name: var.default for var in stack.env}


def _offer(stage_id: str, tool_id: str) -> Offer:
    offer = CATALOG.stage(stage_id).offer(tool_id)
    assert offer is not None
    return offer


def test_a_kit_used_by_two_chosen_tools_is_generated_once(tmp_path: Path) -> None:
    context = resolve(
        TEMPLATE_ROOT,
        CATALOG,
        defaults(CATALOG, storage="amazon_s3", model_registry="sagemaker", experiment_tracking="none"),
    )
    stack = assemble(CATALOG, context, tmp_path)
    assert (tmp_path / "tests" / "plugins" / "local_aws.py").is_file()
    assert stack.channels["test_plugins"] == ["plugins.local_aws", "plugins.object_store"]
    assert (tmp_path / "tests" / "conftest.py").read_text().count('"plugins.local_aws"') == 1
    assert [service.name for service in stack.local_services] == ["moto"]
    assert (tmp_path / "pyproject.toml").read_text().count('"moto[server]') == 1


def test_an_offer_brings_its_kits_files_first_and_their_contributions() -> None:
    storage = _offer("storage", "amazon_s3")
    kit_dir = TEMPLATE_ROOT / "catalog" / "kits" / "local_aws" / "files"
    assert storage.files_dirs == (kit_dir, storage.files_dir)
    assert "moto[server]>=5.1,<6" in storage.dev_packages
    assert storage.provides["test_plugins"] == ["plugins.local_aws", "plugins.object_store"]
    assert storage.extends == ()


def test_an_unknown_kit_names_the_known_ones() -> None:
    offer = dataclasses.replace(_offer("storage", "local_files"), uses=("local_gcp",))
    with pytest.raises(CatalogError, match="uses the kit 'local_gcp': known kits: local_aws"):
        resolve_uses([offer], {"local_aws": _offer("storage", "amazon_s3")})


def test_an_heir_gives_its_bases_settings_their_own_defaults() -> None:
    s3, minio = _stack_env(storage="amazon_s3"), _stack_env(storage="minio")
    assert (s3["AWS_ENDPOINT_URL_S3"], s3["STORAGE_ADDRESSING_STYLE"]) == ("http://127.0.0.1:5050", "auto")
    # On this machine both reach the moto server `make services-up` starts: `make train` works with no MinIO.
    assert (minio["AWS_ENDPOINT_URL_S3"], minio["STORAGE_ADDRESSING_STYLE"]) == ("http://127.0.0.1:5050", "path")
    assert minio["STORAGE_BUCKET"] == s3["STORAGE_BUCKET"] == "iris-classifier-data"


@pytest.mark.parametrize("storage", ["amazon_s3", "minio"])
def test_a_data_remote_follows_the_object_store(storage: str) -> None:
    stack = build_stack(
        CATALOG, resolve(TEMPLATE_ROOT, CATALOG, defaults(CATALOG, storage=storage, data_versioning="dvc"))
    )
    [data_init] = [target for target in stack.make if target.target == "data-init"]
    assert stack.extras["dvc"] == ["dvc[s3]>=3.50,<4"]
    assert "s3://$${STORAGE_BUCKET:-iris-classifier-data}/$${STORAGE_PREFIX-iris-classifier}/dvc" in data_init.run[1]
    assert "dvc remote modify storage endpointurl" in data_init.run[2]


def test_without_an_object_store_the_guarded_lines_leave_nothing_behind() -> None:
    stack = build_stack(CATALOG, resolve(TEMPLATE_ROOT, CATALOG, defaults(CATALOG, data_versioning="dvc")))
    [data_init] = [target for target in stack.make if target.target == "data-init"]
    assert stack.channels["object_store"] is None
    assert stack.extras["dvc"] == ["dvc>=3.50,<4"]
    assert len(data_init.run) == 3 and "local" in data_init.run[1]
