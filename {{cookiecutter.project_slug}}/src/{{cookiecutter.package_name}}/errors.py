"""The errors of the stage interfaces, defined once: every tool's module raises these, callers catch them."""


class ModelNotFoundError(LookupError):
    """No version holds the alias asked for yet: run the training pipeline first."""


class RegistryUnavailableError(ConnectionError):
    """The registry did not answer (a server down, a wrong address): whether a model exists is unknown."""
