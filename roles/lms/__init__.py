"""The learning module exported as an LMS package (SCORM 1.2, SCORM 2004 4th edition, cmi5)."""
