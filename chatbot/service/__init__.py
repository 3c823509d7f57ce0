"""What the bot does for a member, without Telegram: the layer between storage and the bot.

Each function takes the database and the `Member` (or a chat id) and returns the answer's text
and the little the transport needs besides (the ids its buttons name, a picture), so the
handlers, the scheduled jobs, inline mode and the command line all give the same answers.
Nothing here imports `telegram`.
"""
