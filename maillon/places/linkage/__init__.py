"""Record linkage of places: normalise → block → score → classify → cluster → apply.

The pure part (normalise, blocking, scoring, clustering) works on plain `Entry` objects so the
evaluation and the benchmark run it without a database; `service` reads and writes the models.
"""
