"""The team hub's configuration as JupyterHub itself reads it: loaded, type-checked, and saying what we mean.

JupyterHub applies each setting to a traitlets trait, which rejects a wrong type
(a port as a string, a flag as a word). The hub itself is not started here: it
needs the proxy, ``configurable-http-proxy``, an npm package that ``make install``
does not install.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from jupyterhub.app import JupyterHub
from jupyterhub.auth import PAMAuthenticator
from jupyterhub.spawner import LocalProcessSpawner
from traitlets import TraitError

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "jupyterhub_config.py"


def _load(config: Path) -> tuple[JupyterHub, PAMAuthenticator, LocalProcessSpawner]:
    """Load the file with JupyterHub's own loader, then build the classes it names from that configuration."""
    hub = JupyterHub()
    hub.load_config_file(str(config))
    authenticator = hub.authenticator_class(parent=hub)
    spawner = hub.spawner_class(parent=hub)
    return hub, authenticator, spawner


def _broken_copy(workdir: Path, line: str) -> Path:
    copy = workdir / "deploy" / "jupyterhub" / "jupyterhub_config.py"
    copy.parent.mkdir(parents=True)
    copy.write_text(CONFIG.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return copy


def _jupyterhub(*args: str) -> subprocess.CompletedProcess[str]:
    jupyterhub = shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) or "jupyterhub"
    return subprocess.run([jupyterhub, *args], capture_output=True, text=True, timeout=180)


def test_jupyterhub_initialises_with_the_config(workdir: Path) -> None:
    """The CLI loads the file, opens the user database, writes the cookie secret and creates the roles."""
    result = _jupyterhub("-f", str(CONFIG), "--show-config-json")
    assert result.returncode == 0, result.stderr[-3000:]
    shown = json.loads(result.stdout)
    assert shown["JupyterHub"]["authenticator_class"] == "pam"
    assert shown["JupyterHub"]["spawner_class"] == "localprocess"
    state = workdir / ".jupyterhub"
    assert (state / "jupyterhub.sqlite").is_file()
    # JupyterHub refuses a cookie secret others can read; it wrote this one itself.
    assert stat.S_IMODE((state / "jupyterhub_cookie_secret").stat().st_mode) == 0o600
    # The culler's role and its managed service were accepted.
    assert "Role jupyterhub-idle-culler added to database" in result.stderr
    assert "Creating service jupyterhub-idle-culler" in result.stderr


def test_jupyterhub_rejects_a_setting_of_the_wrong_type(workdir: Path) -> None:
    """JupyterHub reports a bad setting of its own and exits, before it touches any state."""
    broken = _broken_copy(workdir, 'c.JupyterHub.port = "8100"')
    result = _jupyterhub("-f", str(broken), "--show-config-json")
    assert result.returncode == 1
    assert "The 'port' trait of a JupyterHub instance expected an int, not the str '8100'" in result.stderr
    assert not (workdir / ".jupyterhub" / "jupyterhub.sqlite").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("c.Spawner.default_url = 8100", "'default_url' trait of a LocalProcessSpawner"),
        ('c.Authenticator.allow_all = "yes"', "'allow_all' trait of a PAMAuthenticator"),
        ('c.Spawner.mem_limit = "a lot"', "not a valid memory specification"),
    ],
)
def test_the_spawner_and_authenticator_reject_wrong_types(workdir: Path, line: str, message: str) -> None:
    """JupyterHub builds a spawner only when a member starts a server: built here from the loaded file."""
    with pytest.raises(TraitError, match=message):
        _load(_broken_copy(workdir, line))


def test_the_defaults_are_a_team_hub_on_this_machine() -> None:
    hub, authenticator, spawner = _load(CONFIG)
    assert hub.bind_url == "http://127.0.0.1:8100"
    assert type(authenticator) is PAMAuthenticator
    assert type(spawner) is LocalProcessSpawner
    # The account running the hub administers it; nobody else gets in until listed.
    assert len(authenticator.admin_users) == 1
    assert authenticator.allowed_users == set()
    assert not authenticator.allow_all
    assert spawner.default_url == "/lab/tree/{{ cookiecutter.project_slug }}/notebooks"
    assert spawner.notebook_dir == "~"
    assert Path(spawner.cmd[0]).parent == Path(sys.executable).parent
    assert Path(spawner.cmd[0]).is_file(), "jupyterhub-singleuser is installed next to this Python"
    assert {"MIN_ACCURACY", "WORK_DIR"} <= set(spawner.env_keep)
    assert "PATH" in spawner.env_keep  # JupyterHub's own list was extended, not replaced
    assert not [name for name in spawner.env_keep if name.startswith("HUB_")]
    [culler] = hub.services
    assert culler["command"][-1] == "--timeout=3600"
    assert hub.load_roles[0]["services"] == [culler["name"]]


def test_the_team_sets_the_hub_through_the_environment(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_BIND_URL", "http://0.0.0.0:8443")
    monkeypatch.setenv("HUB_ADMIN_USERS", "ana")
    monkeypatch.setenv("HUB_ALLOWED_USERS", "ben, chloe,")
    monkeypatch.setenv("HUB_IDLE_TIMEOUT", "900")
    monkeypatch.setenv("HUB_STATE_DIR", str(workdir / "state"))
    hub, authenticator, _ = _load(CONFIG)
    assert hub.bind_url == "http://0.0.0.0:8443"
    assert authenticator.admin_users == {"ana"}
    assert authenticator.allowed_users == {"ben", "chloe"}
    assert hub.services[0]["command"][-1] == "--timeout=900"
    assert hub.db_url == f"sqlite:///{workdir / 'state' / 'jupyterhub.sqlite'}"
    assert (workdir / "state").is_dir()
