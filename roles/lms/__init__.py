"""The published module as a package for a learning management system (SCORM, cmi5)."""
