"""riskbot's benchmarks: `python -m benchmarks [--quick]` from the repository root.

Not tests: they print figures (and the ratios to a baseline measured in the same run) for the
README's performance section. See benchmarks/__main__.py for what each part measures.
"""
