"""What every service does with the model, whichever web framework serves it.

``Predictor`` loads the model once through the ``registry`` interface (or
remembers that there is none yet, so the service can start and say so),
predicts a request's instances, reports the classes to ``monitoring`` and
queues one line per prediction on the prediction log, for the drift monitor.
The service module only maps its framework's routes and errors onto it, and
calls ``close`` when it stops, so the lines still queued are written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import pandas as pd
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }} import monitoring, registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import predict
from {{ cookiecutter.package_name }}.prediction_log import PredictionLog
from {{ cookiecutter.package_name }}.schemas import Health, IrisFeatures, Prediction, PredictResponse

logger = logging.getLogger(__name__)


class ModelNotLoadedError(RuntimeError):
    """No model was published when the service started: each service answers 503 with this message."""


class Predictor:
    """The loaded model, the metrics it reports and the log of what it predicted."""

    def __init__(self, settings: Settings, log: PredictionLog | None = None) -> None:
        self.model_uri = registry.model_uri(settings)
        self.model: Pipeline | None
        # Start even without a model, so /health can say what is missing
        # instead of the container crash-looping before anyone can look.
        try:
            self.model = registry.load_model(settings)
        except registry.ModelNotFoundError:
            logger.exception("no model to serve: run the training pipeline first")
            self.model = None
        monitoring.model_loaded(None if self.model is None else self.model_uri)
        self.log = log if log is not None else PredictionLog.from_env(settings)

    @property
    def ready(self) -> bool:
        return self.model is not None

    def _loaded(self) -> Pipeline:
        if self.model is None:
            raise ModelNotLoadedError(f"model not loaded from {self.model_uri}")
        return self.model

    def health(self) -> Health:
        """Ready to predict: the model is loaded (``ModelNotLoadedError`` until then)."""
        self._loaded()
        return Health(status="ok", model_uri=self.model_uri)

    def predict(self, instances: Sequence[IrisFeatures]) -> PredictResponse:
        """Class index and name of each instance; each is logged with the model and the time it took."""
        started = time.perf_counter()
        model = self._loaded()
        rows = [instance.model_dump() for instance in instances]
        predictions = predict(model, pd.DataFrame(rows))
        class_names = [name for _, name in predictions]
        monitoring.observe_predictions(class_names)
        # The log only queues the lines: a slow or full disk never holds the response.
        self.log.record(rows, class_names, model_version=self.model_uri, latency_s=time.perf_counter() - started)
        return PredictResponse(
            model_uri=self.model_uri,
            predictions=[Prediction(label=label, class_name=name) for label, name in predictions],
        )

    def close(self) -> None:
        """Write the prediction lines still queued; call it once the service stops taking requests."""
        self.log.close()
