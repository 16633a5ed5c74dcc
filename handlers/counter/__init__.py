"""visitor-counter: an atomic page-visit counter and a read-only health check."""
