"""Record lineage in ML Metadata (MLMD), the metadata store of TFX and Kubeflow Pipelines.

Each step records what it did as an MLMD execution, linked by events to the
artifacts it read (``INPUT``) and wrote (``OUTPUT``): a ``Splitter`` turns the
ingested ``DataSet`` into the train and test ``DataSet``s, a ``Trainer`` turns
those into a ``Model``, and publishing writes the registry version onto that
``Model``. Executions are attributed to the pipeline's context.

A step finds the artifacts an earlier step recorded by the URI and SHA-256 of
their file, never by state in memory, so lineage holds when an orchestrator
runs each step in its own process. The store is the SQLite file
``MLMD_SQLITE_PATH`` (default ``mlmd.sqlite``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ml_metadata import MetadataStore, proto

DATASET, MODEL = "DataSet", "Model"
SPLITTER, TRAINER = "Splitter", "Trainer"
PIPELINE = "Pipeline"
PIPELINE_NAME = "{{ cookiecutter.project_slug }}"


def store_path() -> Path:
    return Path(os.environ.get("MLMD_SQLITE_PATH", "mlmd.sqlite")).resolve()


def connect() -> MetadataStore:
    """Open the SQLite store, creating it on first use."""
    config = proto.ConnectionConfig()
    config.sqlite.filename_uri = str(store_path())
    config.sqlite.connection_mode = proto.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    return MetadataStore(config)


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set(properties: Any, name: str, value: float | int | str) -> None:
    """Store ``value`` in the MLMD property map under its own type (int, double or string)."""
    if isinstance(value, str):
        properties[name].string_value = value
    elif isinstance(value, int):
        properties[name].int_value = value
    else:
        properties[name].double_value = value


def _types(store: MetadataStore) -> dict[str, int]:
    """Register the types (idempotent: an existing identical type keeps its id)."""
    # Property types by label: protobuf accepts enum names, and ``ml_metadata.proto``
    # re-exports the messages but not the ``PropertyType`` values.
    string, integer, double = "STRING", "INT", "DOUBLE"
    return {
        DATASET: store.put_artifact_type(proto.ArtifactType(name=DATASET, properties={"digest": string})),
        MODEL: store.put_artifact_type(
            proto.ArtifactType(name=MODEL, properties={"digest": string, "quality_gate": string, "version": string})
        ),
        SPLITTER: store.put_execution_type(
            proto.ExecutionType(name=SPLITTER, properties={"test_size": double, "seed": integer})
        ),
        TRAINER: store.put_execution_type(proto.ExecutionType(name=TRAINER)),
        PIPELINE: store.put_context_type(proto.ContextType(name=PIPELINE)),
    }


def _artifact(store: MetadataStore, type_id: int, path: Path) -> proto.Artifact:
    """The artifact recorded for this exact file (same URI and content), else a new one to insert."""
    digest = _digest(path)
    for artifact in sorted(store.get_artifacts_by_uri(uri_of(path)), key=lambda a: a.id, reverse=True):
        if artifact.type_id == type_id and artifact.properties["digest"].string_value == digest:
            return artifact
    artifact = proto.Artifact(type_id=type_id, uri=uri_of(path), state=proto.Artifact.LIVE)
    artifact.properties["digest"].string_value = digest
    return artifact


def _event(kind: proto.Event.Type, key: str) -> proto.Event:
    event = proto.Event(type=kind)
    event.path.steps.add().key = key
    return event


def _record(
    store: MetadataStore,
    types: dict[str, int],
    execution: proto.Execution,
    inputs: Mapping[str, proto.Artifact],
    outputs: Mapping[str, proto.Artifact],
) -> None:
    """Store the execution, its artifacts and events, and its attribution to the pipeline, in one transaction."""
    execution.last_known_state = proto.Execution.COMPLETE
    events = [(artifact, _event(proto.Event.INPUT, key)) for key, artifact in inputs.items()]
    events += [(artifact, _event(proto.Event.OUTPUT, key)) for key, artifact in outputs.items()]
    pipeline = proto.Context(type_id=types[PIPELINE], name=PIPELINE_NAME)
    store.put_execution(execution, events, [pipeline], reuse_context_if_already_exist=True)


def record_split(dataset: Path, train: Path, test: Path, test_size: float, seed: int) -> None:
    """``train`` and ``test`` were split from ``dataset``."""
    store = connect()
    types = _types(store)
    execution = proto.Execution(type_id=types[SPLITTER])
    execution.properties["test_size"].double_value = test_size
    execution.properties["seed"].int_value = seed
    inputs = {"dataset": _artifact(store, types[DATASET], dataset)}
    outputs = {"train": _artifact(store, types[DATASET], train), "test": _artifact(store, types[DATASET], test)}
    _record(store, types, execution, inputs, outputs)


def record_training(
    train: Path,
    test: Path,
    model: Path,
    params: Mapping[str, float | int | str],
    metrics: Mapping[str, float],
    passed: bool,
) -> None:
    """``model`` was trained on ``train`` with ``params`` and scored ``metrics`` on ``test``.

    The parameters (the git commit among them) are the ``Trainer`` execution's
    properties; the scores and the quality-gate outcome belong to the ``Model``.
    """
    store = connect()
    types = _types(store)
    execution = proto.Execution(type_id=types[TRAINER])
    for name, value in params.items():
        _set(execution.custom_properties, name, value)
    trained = _artifact(store, types[MODEL], model)
    trained.properties["quality_gate"].string_value = "passed" if passed else "failed"
    for name, score in metrics.items():
        trained.custom_properties[name].double_value = score
    inputs = {"train": _artifact(store, types[DATASET], train), "test": _artifact(store, types[DATASET], test)}
    _record(store, types, execution, inputs, {"model": trained})


def record_publication(model: Path, version: str) -> None:
    """``model`` was published to the model registry as ``version``."""
    store = connect()
    published = _artifact(store, _types(store)[MODEL], model)
    published.properties["version"].string_value = version
    store.put_artifacts([published])
