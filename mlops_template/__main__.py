"""``python -m mlops_template`` runs the ``mlops-template`` command."""

from mlops_template.cli import run

run()
