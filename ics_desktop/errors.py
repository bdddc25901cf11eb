"""Errors that describe a user's mistake or a bad file: shown as one clear line, never a traceback."""


class UserFacingError(Exception):
    """Base for every error whose message is meant for the user as it stands."""


class FrameworkError(UserFacingError):
    """A framework definition is malformed or inconsistent."""


class StoreError(UserFacingError):
    """The database cannot be opened or used safely (corrupt, newer version, unreadable)."""


class MissingDatabaseError(StoreError):
    """The database file is gone but its automatic backups are there: restore, don't start afresh."""


class NewerVersionError(StoreError):
    """The database was written by a newer version of ICS Desktop."""


class NotFoundError(UserFacingError):
    """A named programme, assessment or record does not exist."""


class AmbiguousNameError(NotFoundError):
    """A name answers to several programmes; the message says how to name each one."""
