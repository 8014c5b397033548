"""Stage 4: validation of returned forms.

``engine`` reads each file (through :mod:`sdgxl.ingest`) and runs the checks, ``checks``
holds the check codes and the :class:`Issue` model, ``render`` shows a report in the
terminal or as JSON. ``from sdgxl.validate import validate_files`` is the public entry.
"""

from sdgxl.validate.checks import CHECKS, Check, Issue, Severity
from sdgxl.validate.engine import (
    FileReport,
    Observation,
    ValidationReport,
    iter_input_files,
    validate_file,
)
from sdgxl.validate.parallel import validate_files

__all__ = [
    "CHECKS",
    "Check",
    "FileReport",
    "Issue",
    "Observation",
    "Severity",
    "ValidationReport",
    "iter_input_files",
    "validate_file",
    "validate_files",
]
