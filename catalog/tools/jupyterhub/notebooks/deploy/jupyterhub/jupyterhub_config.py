"""JupyterHub for the team on one machine: system accounts log in, each gets a JupyterLab.

`make hub` runs ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` from the
project root, in the project's environment. Everything that differs between
machines or people comes from the environment (``HUB_*`` in ``.env.example``),
so this file holds no secret, host name or user name and is safe to commit.
"""

import getpass
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub defines get_config() when it loads this file)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENV_BIN = Path(sys.executable).parent


def _names(variable: str, default: str = "") -> set[str]:
    """A comma-separated list of account names from the environment."""
    return {name.strip() for name in os.environ.get(variable, default).split(",") if name.strip()}


# The public address (the proxy). JupyterHub's own default, port 8000, is the
# model service's port in this project; bind 0.0.0.0 only behind TLS.
c.JupyterHub.bind_url = os.environ.get("HUB_BIND_URL", "http://127.0.0.1:8100")

# Runtime state stays out of git (.gitignore): the user database and the cookie
# secret (signs login cookies: losing it logs everyone out, leaking it lets anyone in).
state_dir = Path(os.environ.get("HUB_STATE_DIR", ".jupyterhub")).resolve()
state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{state_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state_dir / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state_dir / "jupyterhub-proxy.pid")

# Team members log in with their account on this machine (PAM). Only the listed
# accounts get in (JupyterHub 5+ lets nobody in by default); the account running
# the hub (the one who ran sudo, when root runs it) is the admin unless
# HUB_ADMIN_USERS says otherwise.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.admin_users = _names("HUB_ADMIN_USERS") or {os.environ.get("SUDO_USER") or getpass.getuser()}
c.Authenticator.allowed_users = _names("HUB_ALLOWED_USERS")

# Each member's JupyterLab runs as their own account (the hub must run as root to
# start servers for others), from the environment the hub runs in: the one
# `make install` built, with the project's package and a python3 kernel.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
# Members clone the repository into their home folder; Lab opens its notebooks.
c.Spawner.default_url = "/lab/tree/{{ cookiecutter.project_slug }}/notebooks"
# Kernels see the project's settings (a shared tracking server, the quality gate)
# exactly as `make train` does: the names .env.example lists, when they are set.
env_example = PROJECT_ROOT / ".env.example"
if env_example.is_file():
    settings = [
        line.split("=", 1)[0]
        for line in env_example.read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#") and not line.startswith("HUB_")
    ]
    c.Spawner.env_keep.extend(settings)

# Stop servers idle for HUB_IDLE_TIMEOUT seconds, so a forgotten kernel does not
# hold memory for days. The culler is a hub-managed service with only the scopes it needs.
c.JupyterHub.services = [
    {
        "name": "jupyterhub-idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(os.environ.get('HUB_IDLE_TIMEOUT', '3600'))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "jupyterhub-idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["jupyterhub-idle-culler"],
    }
]
