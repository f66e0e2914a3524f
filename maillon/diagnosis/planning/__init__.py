"""Planning of an itinerant "aller vers" service: where to stop to reach the most people at risk.

A maximal covering location problem (Church and ReVelle, 1974): demand points are communes
weighted by their people at risk not already within reach of a fixed place, candidate sites
are town halls (or uploaded sites), and a site covers a commune within a travel-time threshold.
`instance` holds the pure problem, `heuristic` and `milp` solve it, `solve` combines them,
`itinerary` and `calendar` turn chosen stops into a weekly tour, `territory` builds an instance
from the database. See docs/itinerance.md and ADR 0013.
"""
