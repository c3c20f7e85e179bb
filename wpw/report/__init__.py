"""The consultation report (zestawienie uwag wraz z uzasadnieniem)."""
