"""HTTP API that serves the published model: ``GET /health``, ``POST /predict`` and ``GET /metrics``.

Run it with ``{{ cookiecutter.project_slug }}-serve`` (or ``make serve``); the model is
loaded once at start-up through the ``registry`` interface, and every prediction is
logged for the drift monitor (``predictor``).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }} import monitoring
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.predictor import ModelNotLoadedError, Predictor
from {{ cookiecutter.package_name }}.schemas import Health, PredictRequest, PredictResponse


class ObservedRequests:
    """ASGI middleware that reports every request's route, status and latency to ``monitoring``.

    Plain ASGI rather than ``@app.middleware``, which wraps each response in
    another task and stream; unknown paths share one label, so scanners cannot
    grow the metrics without bound.
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


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Loaded once per server: the model, and the writer of the prediction log.
        app.state.predictor = Predictor(settings)
        try:
            yield
        finally:
            # Uvicorn runs this on SIGTERM too: the queued prediction lines are written.
            app.state.predictor.close()

    app = FastAPI(title={{ cookiecutter.project_name | quoted }}, version="0.1.0", lifespan=lifespan)
    app.add_middleware(ObservedRequests)

    @app.exception_handler(ModelNotLoadedError)
    async def not_loaded(request: Request, error: ModelNotLoadedError) -> Response:
        del request
        return JSONResponse(status_code=503, content={"detail": str(error)})

    def predictor(request: Request) -> Predictor:
        loaded: Predictor = request.app.state.predictor
        return loaded

    @app.get("/livez")
    def liveness() -> dict[str, str]:
        """The process answers; restart it only when this fails."""
        return {"status": "alive"}

    @app.get("/readyz")
    @app.get("/health")
    def health(request: Request) -> Health:
        """Ready to predict: the model is loaded (503 until then, so no traffic is sent)."""
        return predictor(request).health()

    @app.post("/predict")
    def predict_species(body: PredictRequest, request: Request) -> PredictResponse:
        return predictor(request).predict(body.instances)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """The metrics tool's exposition, for scraping (404 when the project has none)."""
        exposed = monitoring.exposition()
        if exposed is None:
            raise HTTPException(status_code=404, detail="no metrics tool in this project")
        body, content_type = exposed
        return Response(content=body, media_type=content_type)

    return app


def port() -> int:
    """The port to listen on: ``PORT`` (``make serve PORT=8123``), else the documented default."""
    return int(os.environ.get("PORT", "{{ stack.channels.http_service.port }}"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the published model over HTTP.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port(), help="default: $PORT, else %(default)s")
    args = parser.parse_args(argv)
    uvicorn.run(create_app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
