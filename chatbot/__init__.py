"""riskbot: futures risk checks for beginners on small contracts, in Telegram and offline."""
