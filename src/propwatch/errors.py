"""One exception family, so callers (the CLI, the server, batch jobs) can catch everything propwatch
raises with a single ``except PropwatchError`` and show its message to a person as is.

Messages are written for the person who sees them: what went wrong, with what, and what to do.
"""


class PropwatchError(Exception):
    """Base class of every error propwatch raises on purpose."""


class InputError(PropwatchError):
    """The input cannot be analysed: empty, binary, undecodable, too large, missing, malformed."""


class FetchError(InputError):
    """A URL could not be fetched: unreachable, refused by the network guard, too large, not HTML/text."""


class ModelError(PropwatchError):
    """A model is missing, incomplete or of an incompatible version."""


class DataError(PropwatchError):
    """A corpus folder, label file or split file is malformed."""
