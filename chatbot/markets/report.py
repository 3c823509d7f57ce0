"""What a market refresh did, venue by venue: printed by `riskbot markets refresh`, and read
back as JSON by the bot's refresh job (which must not import the refresh itself)."""

from __future__ import annotations

from datetime import UTC, datetime

from chatbot.engine.models import Frozen


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class VenueOutcome(Frozen):
    """One venue: refreshed with `count` perpetuals, or failed for `reason` (old data kept)."""

    venue: str
    ok: bool
    count: int = 0
    as_of: datetime | None = None
    left_out: tuple[str, ...] = ()
    reason: str = ""
    kept_as_of: datetime | None = None

    def line(self) -> str:
        """One line for the operator, without URLs or keys."""
        if self.ok:
            assert self.as_of is not None
            text = f"{self.venue}: ok, {self.count} perpetuals as of {_when(self.as_of)}"
            if self.left_out:
                text += f" ({len(self.left_out)} left out, no tier table known)"
            return text
        kept = (
            f"kept the snapshot of {_when(self.kept_as_of)}"
            if self.kept_as_of is not None
            else "no stored snapshot, the shipped data stays"
        )
        return f"{self.venue}: failed, {self.reason}; {kept}"


class RefreshReport(Frozen):
    outcomes: tuple[VenueOutcome, ...]

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    def failures(self) -> tuple[VenueOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.ok)
