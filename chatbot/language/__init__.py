"""The command language: text in, a validated request or a precise `CommandError` out."""
