"""The dated schedule: phases that open and close commenting."""
