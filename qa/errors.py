"""Every error report-qa raises on bad input: one readable line, a ``ReportQAError`` subclass."""


class ReportQAError(Exception):
    """Base class of every error report-qa raises on bad input; its message is one readable line."""


class DocumentError(ReportQAError):
    """A file could not be loaded: missing, empty, unsupported, binary, corrupt or without text."""


class IndexStoreError(ReportQAError):
    """An index folder is unusable: another model or format, or a missing or damaged file."""


class QuestionError(ReportQAError):
    """A question is empty or too long."""


class EmbeddingError(ReportQAError):
    """The embedding model could not be found, converted or loaded."""
