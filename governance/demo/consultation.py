"""Demo records of consultation (三会协商). Written below."""
