"""Read runs back from the event files with TensorBoard's own loader, as the TensorBoard server does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from google.protobuf import struct_pb2
from tensorboard.backend.event_processing import event_accumulator, event_multiplexer
from tensorboard.plugins.hparams import metadata as hparams_metadata
from tensorboard.util import tensor_util

from {{ cookiecutter.package_name }} import tracking


def _param(value: struct_pb2.Value) -> str:
    """The value as ``str()`` gave it when logged: HParams keep every number as a double."""
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        number = value.number_value
        return str(int(number)) if number.is_integer() else str(number)
    return str(getattr(value, kind))


def _last_value(multiplexer: event_multiplexer.EventMultiplexer, run: str, tag: str) -> Any:
    return tensor_util.make_ndarray(multiplexer.Tensors(run, tag)[-1].tensor_proto).item()


@pytest.fixture
def recorded_runs() -> Callable[[], list[dict[str, Any]]]:
    def read() -> list[dict[str, Any]]:
        # Keep every event: the default size guidance samples tensors.
        multiplexer = event_multiplexer.EventMultiplexer(size_guidance={event_accumulator.TENSORS: 0})
        multiplexer.AddRunsFromDirectory(str(tracking.log_dir())).Reload()
        hparams = multiplexer.PluginRunToTagToContent(hparams_metadata.PLUGIN_NAME)
        scalars = multiplexer.PluginRunToTagToContent("scalars")
        runs = []
        for run in sorted(multiplexer.Runs()):
            start = hparams_metadata.parse_session_start_info_plugin_data(
                hparams[run][hparams_metadata.SESSION_START_INFO_TAG]
            )
            metrics = {
                tag: float(_last_value(multiplexer, run, tag))
                for tag in scalars.get(run, {})
                if not tag.startswith("quality_gate/")
            }
            runs.append(
                {
                    "params": {name: _param(value) for name, value in start.hparams.items()},
                    "metrics": metrics,
                    "gate": _last_value(multiplexer, run, "quality_gate").decode(),
                }
            )
        return runs

    return read
