"""``GET /api/v1/programmes/<slug>/report``: adds its route to the API blueprint."""
