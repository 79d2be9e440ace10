"""Errors of the Module Loader, carrying messages meant for the administrator."""


class ModuleError(Exception):
    """A Module Loader operation could not be done; ``str(error)`` is the translated message."""


class ModuleRejected(ModuleError):  # noqa: N818 - the name the loader's callers and documentation use
    """The uploaded archive, or the operation asked for it, is refused before anything is written."""


class ModuleOperationError(ModuleError):
    """An accepted operation failed part-way and what it had changed was put back."""
