"""Walk lineage back from a model file with MLMD's own API: model -> Trainer -> data sets -> Splitter -> data set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from ml_metadata import MetadataStore, proto

from {{ cookiecutter.package_name }} import lineage


def path_of(artifact: proto.Artifact) -> Path:
    return Path(unquote(urlparse(artifact.uri).path))


def producer(store: MetadataStore, artifact: proto.Artifact) -> proto.Execution:
    """The execution whose OUTPUT event made ``artifact``."""
    (event,) = [e for e in store.get_events_by_artifact_ids([artifact.id]) if e.type == proto.Event.OUTPUT]
    (execution,) = store.get_executions_by_id([event.execution_id])
    return execution


def inputs(store: MetadataStore, execution: proto.Execution) -> dict[str, proto.Artifact]:
    """The artifacts ``execution`` read, by the key of their INPUT event."""
    events = [e for e in store.get_events_by_execution_ids([execution.id]) if e.type == proto.Event.INPUT]
    artifacts = {a.id: a for a in store.get_artifacts_by_id([e.artifact_id for e in events])}
    return {e.path.steps[0].key: artifacts[e.artifact_id] for e in events}


def plain(value: proto.Value) -> Any:
    return getattr(value, value.WhichOneof("value"))


@pytest.fixture
def recorded_lineage() -> Callable[[Path], dict[str, Any] | None]:
    def read(model: Path) -> dict[str, Any] | None:
        store = lineage.connect()
        models = [a for a in store.get_artifacts_by_uri(lineage.uri_of(model)) if a.type == lineage.MODEL]
        if not models:
            return None
        artifact = max(models, key=lambda a: a.id)
        trainer = producer(store, artifact)
        data = inputs(store, trainer)
        (dataset,) = inputs(store, producer(store, data["train"])).values()
        version = artifact.properties["version"].string_value if "version" in artifact.properties else None
        return {
            "dataset": path_of(dataset),
            "train": path_of(data["train"]),
            "test": path_of(data["test"]),
            "params": {name: str(plain(value)) for name, value in trainer.custom_properties.items()},
            "metrics": {name: plain(value) for name, value in artifact.custom_properties.items()},
            "gate": artifact.properties["quality_gate"].string_value,
            "version": version,
        }

    return read
