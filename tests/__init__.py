"""trondocs tests: unit, collector (against local simulators and fakes), end-to-end, browser and PDF."""
