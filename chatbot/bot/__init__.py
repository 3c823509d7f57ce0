"""The Telegram bot: python-telegram-bot handlers and jobs that only glue the layers together."""
