"""HTTP API that serves the published model: ``GET /health``, ``POST /predict`` and ``GET /metrics``.

Run it with ``{{ cookiecutter.project_slug }}-serve`` (or ``make serve``): the Flask app
runs in the Waitress WSGI server, the model is loaded once at start-up through the
``registry`` interface, and every prediction is logged for the drift monitor (``predictor``).
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import signal
import sys
import time

import waitress
from flask import Flask, Response, abort, g, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from {{ cookiecutter.package_name }} import monitoring
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.predictor import ModelNotLoadedError, Predictor
from {{ cookiecutter.package_name }}.schemas import PredictRequest


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    # Loaded once per app: the model, and the writer of the prediction log. WSGI
    # has no shutdown hook, so the queued lines are written when the process exits.
    predictor = Predictor(settings)
    atexit.register(predictor.close)

    app = Flask(__name__)
    app.extensions["predictor"] = predictor

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        # The rule, not the path: unknown paths share one label, so scanners cannot grow the metrics.
        route = request.url_rule.rule if request.url_rule else "unmatched"
        monitoring.observe_request(route, response.status_code, time.perf_counter() - g.started)
        return response

    @app.errorhandler(HTTPException)
    def json_error(error: HTTPException) -> tuple[Response, int]:
        # API clients expect JSON, not Werkzeug's HTML error pages.
        return jsonify(detail=error.description), error.code or 500

    @app.errorhandler(ModelNotLoadedError)
    def not_loaded(error: ModelNotLoadedError) -> tuple[Response, int]:
        return jsonify(detail=str(error)), 503

    @app.get("/livez")
    def liveness() -> dict[str, str]:
        """The process answers; restart it only when this fails."""
        return {"status": "alive"}

    @app.get("/readyz")
    @app.get("/health")
    def health() -> dict[str, object]:
        """Ready to predict: the model is loaded (503 until then, so no traffic is sent)."""
        return predictor.health().model_dump()

    @app.post("/predict")
    def predict_species() -> dict[str, object] | tuple[Response, int]:
        payload = request.get_json(silent=True)
        if payload is None:
            abort(400, description="the request body must be JSON (Content-Type: application/json)")
        try:
            body = PredictRequest.model_validate(payload)
        except ValidationError as error:
            # No context: it may hold exception objects, which are not JSON.
            return jsonify(detail=error.errors(include_url=False, include_context=False)), 422
        return predictor.predict(body.instances).model_dump()

    @app.get("/metrics")
    def metrics() -> Response:
        """The metrics tool's exposition, for scraping (404 when the project has none)."""
        exposed = monitoring.exposition()
        if exposed is None:
            abort(404, description="no metrics tool in this project")
        body, content_type = exposed
        return Response(body, content_type=content_type)

    return app


def port() -> int:
    """The port to listen on: ``PORT`` (``make serve PORT=8123``), else the documented default."""
    return int(os.environ.get("PORT", "{{ stack.channels.http_service.port }}"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the published model over HTTP.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port(), help="default: $PORT, else %(default)s")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Stopped as a container is (SIGTERM), exit normally: the prediction log writes what is queued.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    waitress.serve(create_app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
