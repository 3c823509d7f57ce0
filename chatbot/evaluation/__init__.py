"""Evaluation and discipline: requests, defaults and market data become results and verdicts."""
