"""Platform layer shared by every function. It knows nothing of any service."""
