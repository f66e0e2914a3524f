"""Import of place files: the national standard (v1.0.x and v0.1), data·inclusion structures and
producers' own files through declarative mappings. Entry point: `service.import_file`."""
