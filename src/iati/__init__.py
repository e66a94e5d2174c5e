"""IATI activity XML: record types and the streaming parser."""
