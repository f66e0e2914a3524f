"""Exports of the statistics (XLSX, PDF, CSV) and of the activity reports (XLSX), ADR 0009."""
