"""Read runs back from the log lines the no-op tracker writes (there is no store)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import tracking


@pytest.fixture
def recorded_runs(caplog: pytest.LogCaptureFixture) -> Callable[[], list[dict[str, Any]]]:
    caplog.set_level(logging.INFO, logger=tracking.__name__)

    def read() -> list[dict[str, Any]]:
        runs: list[dict[str, Any]] = []
        for record in caplog.records:
            if record.name != tracking.__name__:
                continue
            if record.msg == "run %s started":
                runs.append({"params": {}, "metrics": {}, "gate": None})
            # logging keeps a lone mapping argument as ``record.args`` itself.
            elif record.msg == "params %s" and isinstance(record.args, Mapping):
                runs[-1]["params"] = {key: str(value) for key, value in record.args.items()}
            elif record.msg == "metrics %s" and isinstance(record.args, Mapping):
                runs[-1]["metrics"] = dict(record.args)
            elif record.msg.startswith("quality gate"):
                runs[-1]["gate"] = record.args[0]  # type: ignore[index]
        return runs

    return read
