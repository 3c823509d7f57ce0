"""Pure money math: Decimal in, Decimal out; no I/O, no Telegram, no locale."""
