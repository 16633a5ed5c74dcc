"""pixel-detector: scan a website in headless Chromium and report the tracking pixels it fires."""
