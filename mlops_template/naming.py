"""Rules for the names a generated project is given."""

from __future__ import annotations

import keyword
import re
import sys

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PACKAGE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_SLUG_LENGTH = 64


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name the repository and distribution, or None."""
    if not SLUG_PATTERN.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        return (
            f"project_slug '{slug}' is invalid: use 1-{MAX_SLUG_LENGTH} lowercase letters, digits"
            " and single dashes, starting with a letter (for example 'iris-classifier')"
        )
    return None


def package_problem(name: str) -> str | None:
    """Why ``name`` cannot be the Python import name, or None."""
    if not PACKAGE_PATTERN.match(name):
        return (
            f"package_name '{name}' is not a valid Python package name: use lowercase letters,"
            " digits and underscores, starting with a letter (for example 'iris_classifier')"
        )
    if keyword.iskeyword(name) or name in sys.stdlib_module_names:
        return (
            f"package_name '{name}' would shadow the Python keyword or standard-library module"
            f" of that name: pick another, for example '{name}_ml'"
        )
    return None


def email_problem(email: str) -> str | None:
    if not EMAIL_PATTERN.match(email):
        return f"author_email '{email}' is not an email address: use the form name@example.com"
    return None
