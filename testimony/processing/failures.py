"""Why processing failed, as codes: a failure reason never holds text from a report."""

UNDECRYPTABLE = "undecryptable"
INVALID_REPORT = "invalid_report"
BAD_ATTACHMENT = "bad_attachment"
CRASHED = "crashed"
