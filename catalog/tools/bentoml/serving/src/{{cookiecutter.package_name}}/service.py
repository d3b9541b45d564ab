"""BentoML service that serves the published model: ``POST /predict``, ``GET /health`` and ``GET /metrics``.

Run it with ``make serve`` (``bentoml serve {{ cookiecutter.package_name }}.service:Classifier``) or
``{{ cookiecutter.project_slug }}-serve --host H --port P``; each worker loads the model once at
start-up through the ``registry`` interface, and every prediction is logged for the drift
monitor (``predictor``).
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any, cast

import bentoml
from bentoml.exceptions import ServiceUnavailable
from fastapi import FastAPI, HTTPException, Response
from pydantic import ConfigDict
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }} import monitoring
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.predictor import ModelNotLoadedError, Predictor
from {{ cookiecutter.package_name }}.schemas import Health, IrisFeatures, PredictRequest, PredictResponse

SERVICE = "{{ cookiecutter.package_name }}.service:Classifier"
"""What ``bentoml serve``, ``bentofile.yaml`` and the container image serve."""

# BentoML's own routes are POST inference APIs (its /livez and /readyz answer
# plain text), so GET /health lives in a mounted FastAPI app whose handlers are
# methods of the service. BentoML's Swagger UI on / documents the
# service, so FastAPI's own docs are off.
probes = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


def _single_example(schema: dict[str, Any]) -> None:
    examples = PredictRequest.model_json_schema().get("examples")
    if examples:
        schema["example"] = examples[0]


class ObservedRequests:
    """ASGI middleware that reports every request's route, status and latency to ``monitoring``.

    Unknown paths share one label, so scanners cannot grow the metrics without bound.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            route = scope["path"] if status != 404 else "unmatched"
            monitoring.observe_request(route, status, time.perf_counter() - started)


class PredictInput(PredictRequest):
    """``PredictRequest`` with its example as the single ``example`` OpenAPI 3.0 has.

    BentoML's OpenAPI generator rejects JSON Schema's ``examples`` list, which
    would leave its Swagger UI on / without a spec.
    """

    model_config = ConfigDict(json_schema_extra=_single_example)


# BentoML's own /metrics is off: GET /metrics answers the project's monitoring
# module, as with every serving tool (404 when the project has no metrics tool).
@bentoml.service(name="{{ cookiecutter.project_slug }}", metrics={"enabled": False})
@bentoml.asgi_app(probes)
class Classifier:
    """Classifies iris flowers with the model the registry serves."""

    def __init__(self) -> None:
        # Loaded once per worker: the model, and the writer of the prediction log.
        self.predictor = Predictor(Settings.from_env())

    def __is_ready__(self) -> bool:
        # BentoML's /readyz (the Kubernetes readiness probe) then agrees with /health.
        return self.predictor.ready

    @bentoml.on_shutdown
    def close(self) -> None:
        """The worker stops: write the prediction lines still queued."""
        self.predictor.close()

    @probes.get("/health")
    def health(self) -> Health:
        try:
            return self.predictor.health()
        except ModelNotLoadedError as error:
            raise HTTPException(status_code=503, detail=str(error)) from error

    @probes.get("/metrics")
    def metrics(self) -> Response:
        exposed = monitoring.exposition()
        if exposed is None:
            raise HTTPException(status_code=404, detail="no metrics tool in this project")
        body, content_type = exposed
        return Response(content=body, media_type=content_type)

    @bentoml.api(route="/predict", input_spec=PredictInput)
    def predict(self, instances: list[IrisFeatures]) -> PredictResponse:
        """Class index and name of each flower."""
        try:
            return self.predictor.predict(instances)
        except ModelNotLoadedError as error:
            raise ServiceUnavailable(str(error)) from error


# The decorators make Classifier a bentoml.Service, which type checkers cannot see.
cast("bentoml.Service[Classifier]", Classifier).add_asgi_middleware(ObservedRequests)


def port() -> int:
    """The port to listen on: ``PORT`` (``make serve PORT=8123``), else the documented default."""
    return int(os.environ.get("PORT", "{{ stack.channels.http_service.port }}"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the published model with BentoML.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port(), help="default: $PORT, else %(default)s")
    args = parser.parse_args(argv)
    # BentoML sends usage statistics unless this is "true", and reads it once per
    # process: opt out before serving, unless the environment already chose.
    os.environ.setdefault("BENTOML_DO_NOT_TRACK", "true")
    # The same server as `bentoml serve SERVICE`, in the foreground until stopped.
    bentoml.serve(SERVICE, host=args.host, port=args.port, blocking=True)


if __name__ == "__main__":
    main()
