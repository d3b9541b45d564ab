"""The storage interface, as every storage tool implements it, and the pipeline reading its raw data from it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }} import storage
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import load_dataset
from {{ cookiecutter.package_name }}.pipeline import RunFiles, run_pipeline
from {{ cookiecutter.package_name }}.steps import RAW_DATA


def test_a_file_comes_back_byte_for_byte(tmp_path: Path) -> None:
    source = tmp_path / "model.bin"
    source.write_bytes(bytes(range(256)))
    assert not storage.exists("artifacts/model.bin")
    uri = storage.upload(source, "artifacts/model.bin")
    assert storage.exists("artifacts/model.bin")
    assert uri == storage.uri("artifacts/model.bin")
    assert "://" in uri
    copy = storage.download("artifacts/model.bin", tmp_path / "copy" / "model.bin")
    assert copy.read_bytes() == source.read_bytes()


def test_a_table_comes_back_equal() -> None:
    frame = load_dataset().head(20)
    storage.write_table("tables/sample.csv", frame)
    pd.testing.assert_frame_equal(storage.read_table("tables/sample.csv"), frame, check_dtype=False)


def test_a_missing_key_is_reported_as_missing(tmp_path: Path) -> None:
    assert not storage.exists("nowhere/nothing.csv")
    with pytest.raises(FileNotFoundError):
        storage.read_table("nowhere/nothing.csv")
    with pytest.raises(FileNotFoundError):
        storage.download("nowhere/nothing.csv", tmp_path / "x")


def test_the_pipeline_trains_on_the_raw_data_in_storage(settings: Settings) -> None:
    """The first run lands the shipped data set; later runs train on whatever storage holds."""
    run_pipeline(settings)
    assert storage.exists(RAW_DATA)
    fewer = load_dataset().groupby("species").head(20)
    storage.write_table(RAW_DATA, fewer)
    result = run_pipeline(settings)
    assert len(pd.read_csv(RunFiles(result.run_dir).dataset)) == len(fewer) == 60
