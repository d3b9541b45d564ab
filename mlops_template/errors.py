"""One exception class per way generation can be refused."""


class TemplateError(Exception):
    """Base class: the message names the problem and how to fix it."""


class CatalogError(TemplateError):
    """The catalog files are inconsistent (a bug in the template, not in the answers)."""


class AnswersError(TemplateError):
    """The answers cannot generate a project; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"  - {problem}" for problem in problems))


class UnknownPresetError(AnswersError):
    """A preset name the catalog does not hold; the message lists the known ones."""

    def __init__(self, message: str) -> None:
        super().__init__([message])
