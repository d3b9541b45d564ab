"""Each chosen tool silences its own libraries' known warnings in the generated project's tests, and only those."""

from __future__ import annotations

from typing import Any

from mlops_template.assemble import build_stack, pyproject
from mlops_template.catalog import TEMPLATE_ROOT
from mlops_template.generate import resolve
from tests.helpers import CATALOG


def _filters(**answers: str) -> list[str]:
    context = resolve(TEMPLATE_ROOT, CATALOG, answers)
    document: dict[str, Any] = pyproject(CATALOG, context, build_stack(CATALOG, context))
    return list(document["tool"]["pytest"]["ini_options"].get("filterwarnings", []))


def test_a_chosen_tools_filters_reach_pytest_once_though_two_of_its_offers_declare_them() -> None:
    tracking = CATALOG.stage("experiment_tracking").offer("mlflow")
    assert tracking is not None and tracking.warning_filters
    filters = _filters(experiment_tracking="mlflow", model_registry="mlflow")
    assert all(filters.count(line) == 1 for line in tracking.warning_filters)


def test_an_unchosen_tools_filters_stay_out() -> None:
    serving = CATALOG.stage("serving").offer("bentoml")
    assert serving is not None and serving.warning_filters
    assert not set(serving.warning_filters) & set(_filters(serving="fastapi"))
    assert set(serving.warning_filters) <= set(_filters(serving="bentoml"))
