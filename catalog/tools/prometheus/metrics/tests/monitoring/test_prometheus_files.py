"""The scrape configuration and alert rules are ones Prometheus loads, and the alerts fire when they should.

``promtool`` checks them as Prometheus would and runs the alert unit tests of
``monitoring/alerts.test.yml``. It comes from the ``prometheus`` Debian package
(``apt-get install prometheus``), so these are integration tests (``make test-all``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

MONITORING = Path(__file__).resolve().parents[2] / "monitoring"

pytestmark = pytest.mark.integration


def _promtool(*args: str | Path, cwd: Path = MONITORING) -> subprocess.CompletedProcess[str]:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is not installed: apt-get install prometheus")
    return subprocess.run([promtool, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("config", sorted(MONITORING.glob("prometheus*.yml")), ids=lambda path: path.name)
def test_the_scrape_configuration_loads(config: Path) -> None:
    result = _promtool("check", "config", config.name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alert_rules_load() -> None:
    result = _promtool("check", "rules", "alerts.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 rules found" in result.stdout


def test_the_alerts_fire_as_their_unit_tests_expect() -> None:
    result = _promtool("test", "rules", "alerts.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_expectation_fails_the_unit_tests(tmp_path: Path) -> None:
    """The unit tests can fail: the same tests, expecting no error-rate alert where one fires."""
    shutil.copy(MONITORING / "alerts.yml", tmp_path)
    tests = (MONITORING / "alerts.test.yml").read_text(encoding="utf-8")
    broken = tests.replace("of requests fail", "of requests fails", 1)
    assert broken != tests
    (tmp_path / "alerts.test.yml").write_text(broken, encoding="utf-8")
    result = _promtool("test", "rules", "alerts.test.yml", cwd=tmp_path)
    assert result.returncode != 0
    assert "HighErrorRate" in result.stdout + result.stderr
