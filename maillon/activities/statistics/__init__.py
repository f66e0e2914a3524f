"""Statistics of activity reports: daily pre-aggregates kept in step with the raw rows, the
dashboard and the `/api/v1/statistiques` endpoint (docs/adr/0007-statistiques-pre-agregees.md)."""
