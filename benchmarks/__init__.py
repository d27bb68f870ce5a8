"""report-qa's benchmarks: ``python -m benchmarks [--quick]`` writes RESULTS.md and results.json."""
