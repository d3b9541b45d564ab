"""What ``feast apply`` registers: the package's own definitions, so training and serving use the same objects.

Keep other scripts out of this folder: ``feast apply`` imports every ``.py`` file in it.
"""

from {{ cookiecutter.package_name }}.feature_views import flower, iris_measurements, measurements_source

__all__ = ["flower", "iris_measurements", "measurements_source"]
