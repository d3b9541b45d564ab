"""The drift interface, as every drift tool implements it: same data is no drift, shifted data is."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }} import drift
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset, split_dataset


def _halves() -> tuple[pd.DataFrame, pd.DataFrame]:
    return split_dataset(load_dataset(), test_size=0.5, seed=0)


def test_two_samples_of_the_same_data_do_not_drift() -> None:
    reference, current = _halves()
    report = drift.compare(reference, current)
    assert not report.drifted
    assert 0.0 <= report.score < 1.0


def test_shifted_data_drifts(tmp_path: Path) -> None:
    reference, current = _halves()
    shifted = current.copy()
    shifted[list(FEATURES)] = shifted[list(FEATURES)] * 1.6 + 2.0
    report = drift.compare(reference, shifted)
    assert report.drifted
    assert report.score > 0.5
    path = drift.write_report(report, reference, shifted, tmp_path / "reports")
    assert path.parent == tmp_path / "reports"
    assert path.stat().st_size > 0
