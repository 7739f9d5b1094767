"""Demo placeholder replaced below."""
