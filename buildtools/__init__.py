"""Build, publish and roll back the stack's Lambda artifacts (the library behind build.py)."""
