"""Layer 3: finished checks and errors as Telegram HTML in the member's language."""
