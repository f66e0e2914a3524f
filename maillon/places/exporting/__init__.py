"""Open-data exports of published places: standard CSV v1.0.2, data·inclusion v1, GeoJSON."""
