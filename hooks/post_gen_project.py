"""Post-generation hook: remove files of tools that were not chosen and save the answers.

The logic lives in ``mlops_template.hooks`` (unit-tested); this script only finds
the template checkout being rendered. cookiecutter (and so cruft and
pytest-cookies) runs hooks from inside that checkout, which is the parent
process's working directory on Linux; elsewhere cookiecutter's ``_repo_dir`` or
cruft's ``_template`` (a local path) names it.
"""

import json
import os
import sys
from pathlib import Path

CONTEXT = json.loads(r"""{{ cookiecutter | tojson }}""")
CANDIDATES = (f"/proc/{os.getppid()}/cwd", CONTEXT.get("_repo_dir", ""), CONTEXT.get("_template", ""))
ROOT = next((Path(c).resolve() for c in CANDIDATES if c and (Path(c) / "catalog").is_dir()), None)
if ROOT is None:
    sys.exit("mlops-template: cannot find the template checkout; run cookiecutter on a local clone of it")
if (ROOT / "mlops_template").is_dir():  # a checkout; the copy inside a wheel uses the installed package
    sys.path.insert(0, str(ROOT))

from mlops_template.hooks import post_generate, run  # noqa: E402

run(post_generate, CONTEXT, ROOT)
