"""``GET /api/v1/search``: adds its route to the API blueprint."""
