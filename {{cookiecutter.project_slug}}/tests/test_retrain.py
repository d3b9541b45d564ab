"""Retrain requests: published on the broker, consumed by the listener, each passed on to start one run.

The runs themselves, started on the chosen orchestrator, are tested in
``tests/orchestration/test_launch_contract.py``.
"""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }} import retrain


def test_each_request_starts_one_run_with_its_reason() -> None:
    retrain.request_retrain("drift on petal_length")
    retrain.request_retrain("new data")
    reasons: list[str] = []

    def start(reason: str) -> str:
        """Records what the listener passes on; the broker and the listener are the real ones."""
        reasons.append(reason)
        return f"run-{len(reasons)}"

    assert retrain.listen(start=start, max_messages=2, wait_s=10) == ["run-1", "run-2"]
    assert sorted(reasons) == ["drift on petal_length", "new data"]
    assert retrain.listen(start=start, wait_s=0.5) == [], "a handled request came back"


def test_a_request_whose_run_failed_to_start_is_delivered_again() -> None:
    retrain.request_retrain("new data")

    def unreachable(reason: str) -> str:
        raise ConnectionError(f"orchestrator down, cannot start: {reason}")

    with pytest.raises(ConnectionError):
        retrain.listen(start=unreachable, max_messages=1, wait_s=10)
    assert retrain.listen(start=lambda reason: reason, max_messages=1, wait_s=30) == ["new data"]
