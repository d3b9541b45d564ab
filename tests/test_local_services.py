"""``local_services``: servers a stack runs on 127.0.0.1 in place of cloud ones (``make services-up``).

The generated targets are run for real with ``make`` on a stand-in service
(Python's own HTTP server), so these tests name no tool of the catalog.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from mlops_template.assemble import build_stack, write_shared_files
from mlops_template.catalog import TEMPLATE_ROOT, Catalog, LocalService, Offer
from mlops_template.errors import CatalogError
from mlops_template.generate import resolve
from tests.helpers import CATALOG

SCHEMA = json.loads((TEMPLATE_ROOT / "catalog" / "schema" / "tool.schema.json").read_text())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _http_server(port: int, name: str = "files") -> LocalService:
    command = f"{sys.executable} -m http.server {port} --bind 127.0.0.1"
    return LocalService(name=name, help="a stand-in that serves files", run=command, port=port, ready="/")


def _with_services(catalog: Catalog, *services_per_offer: tuple[LocalService, ...]) -> Catalog:
    """The catalog with the default stack's first offers declaring ``services_per_offer``."""
    context = resolve(TEMPLATE_ROOT, catalog, {})
    chosen = catalog.chosen_offers(context)
    services = {(chosen[i].tool_id, chosen[i].stage_id): s for i, s in enumerate(services_per_offer)}

    def declared(offer: Offer) -> Offer:
        key = (offer.tool_id, offer.stage_id)
        return dataclasses.replace(offer, local_services=services[key]) if key in services else offer

    stages = tuple(
        dataclasses.replace(stage, offers=tuple(declared(offer) for offer in stage.offers)) for stage in catalog.stages
    )
    return dataclasses.replace(catalog, stages=stages)


def _project(tmp_path: Path, *services_per_offer: tuple[LocalService, ...]) -> Path:
    catalog = _with_services(CATALOG, *services_per_offer)
    context = resolve(TEMPLATE_ROOT, catalog, {})
    write_shared_files(catalog, context, build_stack(catalog, context), tmp_path)
    return tmp_path


def _make(project: Path, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", target, f"PYTHON={sys.executable}", "SERVICES_TIMEOUT=20"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_schema_requires_the_port() -> None:
    offer = SCHEMA["$defs"]["offer"]
    service = {"name": "x", "help": "stands in for x", "run": "x-server", "ready": "/"}
    with pytest.raises(jsonschema.ValidationError, match="'port' is a required property"):
        jsonschema.validate(service, offer["properties"]["local_services"]["items"])


def test_a_service_that_speaks_no_http_is_up_once_its_port_listens(tmp_path: Path) -> None:
    """Brokers and databases have no HTTP path to poll: an empty ``ready`` waits for the open port."""
    port = _free_port()
    listen = f"import socket, time; s = socket.create_server(('127.0.0.1', {port})); time.sleep(600)"
    run = f'{sys.executable} -c "{listen}"'
    broker = LocalService(name="broker", help="a stand-in that only listens", run=run, port=port)
    project = _project(tmp_path, (broker,))
    try:
        started = _make(project, "services-up")
        assert started.returncode == 0, started.stderr
        assert "broker is up" in started.stdout
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    finally:
        stopped = _make(project, "services-down")
    assert "stopped broker" in stopped.stdout


def test_a_stack_without_local_services_has_no_services_targets(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert "services-up" not in (project / "Makefile").read_text()
    assert "services-up" not in (project / "README.md").read_text()
    assert ".services/" not in (project / ".gitignore").read_text()


def test_the_same_service_needed_by_two_tools_starts_once() -> None:
    service = _http_server(8765)
    catalog = _with_services(CATALOG, (service,), (service,))
    stack = build_stack(catalog, resolve(TEMPLATE_ROOT, catalog, {}))
    assert stack.local_services == (service,)


@pytest.mark.parametrize(
    "second",
    [_http_server(8766, name="files"), _http_server(8765, name="other")],
    ids=["same name, other command", "same port"],
)
def test_clashing_services_are_refused(second: LocalService) -> None:
    catalog = _with_services(CATALOG, (_http_server(8765),), (second,))
    with pytest.raises(CatalogError, match="local service"):
        build_stack(catalog, resolve(TEMPLATE_ROOT, catalog, {}))


def test_services_up_starts_waits_and_services_down_stops(tmp_path: Path) -> None:
    port = _free_port()
    project = _project(tmp_path, (_http_server(port),))
    readme = (project / "README.md").read_text()
    assert readme.index("make services-up") < readme.index("make train")
    assert ".services/" in (project / ".gitignore").read_text()
    try:
        started = _make(project, "services-up")
        assert started.returncode == 0, started.stderr
        assert _answers(port), "services-up returns only once the service answers"
        again = _make(project, "services-up")
        assert again.returncode == 0 and "already answers" in again.stdout
        assert (project / ".services" / "files.pid").is_file()
    finally:
        stopped = _make(project, "services-down")
    assert stopped.returncode == 0 and "stopped files" in stopped.stdout
    assert not _answers(port)
    assert not list((project / ".services").glob("*.pid"))


def test_a_service_that_cannot_start_fails_with_the_end_of_its_log(tmp_path: Path) -> None:
    broken = LocalService(
        name="broken",
        help="a stand-in that exits at once",
        run=f"{sys.executable} -c \"import sys; sys.exit('port already taken by a ghost')\"",
        port=_free_port(),
        ready="/",
    )
    project = _project(tmp_path, (broken,))
    result = _make(project, "services-up")
    assert result.returncode != 0
    assert "broken did not start" in result.stderr and "port already taken by a ghost" in result.stderr
