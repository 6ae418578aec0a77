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


class TooLargeError(InputError):
    """The input is over the size cap. The message says the size and the cap but not how to raise it, since
    that depends on who asks: the CLI adds its ``--max-bytes`` flag, the server names nothing to a web user."""


class TooLongError(InputError):
    """The article has more words than one analysis takes: its cost (time and memory) grows with its length, so
    every analysis has a bound. The message says how to split it; raising the bound is for whoever runs
    propwatch (the CLI adds its ``--max-words`` flag)."""


class FetchTooLargeError(FetchError, TooLargeError):
    """A URL's response is over the download cap."""


class PrivateAddressError(FetchError):
    """A URL leads to a private, loopback or link-local address, which propwatch refuses unless allowed.

    ``refusal`` says what was refused and why, without the remedy, which depends on who asks: the message
    names both the Python argument and the CLI flag (batch records keep it, whoever started the run); the
    CLI names its flag alone, and the server, whose web users cannot change its settings, names nothing."""

    def __init__(self, refusal: str):
        self.refusal = refusal
        super().__init__(f"{refusal} unless private addresses are allowed "
                         "(allow_private=True in Python, --allow-private on the command line)")


class ModelError(PropwatchError):
    """A model is missing, incomplete or of an incompatible version."""


class DataError(PropwatchError):
    """A corpus folder, label file or split file is malformed."""
