"""The market-data layer: venues, their instruments and tier tables, and where each figure is from.

`catalog` is the interface (venues, symbol resolution, installing refreshed snapshots);
`prices` fetches live mark prices and `refresh` (in a child process only) whole snapshots.
"""

DEFAULT_VENUE = "binance"
