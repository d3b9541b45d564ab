"""Read lineage back from the debug lines the store-less lineage module writes (there is no store)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import lineage


@pytest.fixture
def recorded_lineage(caplog: pytest.LogCaptureFixture) -> Callable[[Path], dict[str, Any] | None]:
    caplog.set_level(logging.DEBUG, logger=lineage.__name__)

    def calls(verb: str) -> list[tuple[Any, ...]]:
        """The arguments of every line starting with ``verb``, oldest first."""
        return [
            record.args
            for record in caplog.records
            if record.name == lineage.__name__ and record.msg.startswith(verb) and isinstance(record.args, tuple)
        ]

    def read(model: Path) -> dict[str, Any] | None:
        trained = [args for args in calls("trained") if Path(args[0]).resolve() == model.resolve()]
        if not trained:
            return None
        _, train, test, params, metrics, gate = trained[-1]
        splits = [args for args in calls("split") if Path(args[1]).resolve() == Path(train).resolve()]
        published = [args for args in calls("published") if Path(args[0]).resolve() == model.resolve()]
        return {
            "dataset": Path(splits[-1][0]).resolve() if splits else None,
            "train": Path(train).resolve(),
            "test": Path(test).resolve(),
            "params": {key: str(value) for key, value in params.items()},
            "metrics": dict(metrics),
            "gate": gate,
            "version": published[-1][1] if published else None,
        }

    return read
