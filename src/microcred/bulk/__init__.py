"""Bulk issuing: a CSV file of recipients becomes a job of rows, issued in the background."""
