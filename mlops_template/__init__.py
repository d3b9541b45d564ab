"""mlops-template: a catalog-driven cookiecutter template for MLOps projects."""
