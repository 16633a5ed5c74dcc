"""Batch scans: POST /scans queues up to 1,000 sites, SQS feeds them to the scanner."""
