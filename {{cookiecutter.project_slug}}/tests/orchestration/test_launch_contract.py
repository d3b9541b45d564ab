"""The launch interface, as every orchestrator implements it: a retrain request becomes a training run.

``launch_runs_here`` (``tests/orchestration/conftest.py``, the chosen orchestrator's)
prepares what a start needs in the test's folder and says whether the run
happens here, so its new model version is in the registry when the start
returns, or on a remote service the test only reaches through a local stand-in.
"""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }} import registry, retrain
from {{ cookiecutter.package_name }}.config import Settings


@pytest.mark.integration
def test_a_retrain_request_starts_a_run_that_registers_a_new_model_version(
    launch_runs_here: bool, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console scripts end to end: the chosen broker, the listener, the chosen orchestrator."""
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)
    retrain.request_main(["--reason", "contract test"])
    retrain.listener_main(["--max-messages", "1", "--wait-s", "30"])
    run = capsys.readouterr().out.strip().splitlines()[-1]
    assert run.strip(), "the listener printed no run id"
    if launch_runs_here:
        assert registry.load_model(settings) is not None
        assert registry.alias_metrics("champion", settings) is not None
