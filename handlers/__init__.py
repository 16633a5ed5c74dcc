"""Lambda handlers: `core` is the shared platform layer, every other package is one function."""
