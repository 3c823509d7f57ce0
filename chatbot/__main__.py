"""`python -m chatbot` is the `riskbot` command."""

from chatbot.cli import main

raise SystemExit(main())
