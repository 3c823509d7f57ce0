"""Trading at market: the entry (or funding rate) left out is the venue's mark price, named."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Chat, running
from tests.exchange_standin import ExchangeStandIn
from tests.standin import StandIn

WORKED_AT_MARKET = "/size BTC stop 71500 acct 1000 lev 20"


async def test_entry_left_out_is_the_mark_price(api: StandIn, db_path: Path) -> None:
    """With Binance's premiumIndex answering a mark price of 72000.00, `/size BTC stop 71500
    acct 1000 lev 20` is the README's worked example: 0.017 BTC, $1,224.00 notional, $61.20
    margin, $9.72 loss at the stop and liquidation at 68,674.70; the reply names the price,
    the venue and the venue's time of it."""
    async with ExchangeStandIn() as exchange:
        exchange.listing("binance", "BTCUSDT").mark = "72000.00"
        async with running(api, db_path, **exchange.settings()):
            text = (await Chat(api).say(WORKED_AT_MARKET))["text"]
        assert exchange.count("/fapi/v1/premiumIndex") == 1
    for figure in ("0.017 BTC", "$1,224.00", "$61.20", "$9.72", "68,674.70"):
        assert figure in text
    assert "Entry = mark price $72,000.00, Binance USDⓈ-M," in text
    assert " UTC" in text


async def test_market_word_and_a_percent_stop(api: StandIn, db_path: Path) -> None:
    """`market` is the mark price too, and `stop 1%` is measured from it: 1% of 72,000 is 720,
    so the stop is 71,280.00."""
    async with ExchangeStandIn() as exchange:
        exchange.listing("binance", "BTCUSDT").mark = "72000"
        async with running(api, db_path, **exchange.settings()):
            text = (await Chat(api).say("/size BTC market stop 1% acct 1000 lev 10"))["text"]
    assert "$72,000.00 → stop $71,280.00" in text


async def test_no_price_asks_for_the_entry(api: StandIn, db_path: Path) -> None:
    """When the venue does not answer, the member is asked for the entry: no invented price."""
    async with ExchangeStandIn() as exchange:
        exchange.fail("/fapi/v1/premiumIndex", status=500)
        async with running(api, db_path, **exchange.settings()):
            text = (await Chat(api).say(WORKED_AT_MARKET))["text"]
    assert "could not get the price of <code>BTC</code> (BTCUSDT) on Binance USDⓈ-M" in text
    assert "0.017" not in text


async def test_price_command(api: StandIn, db_path: Path) -> None:
    """`/price BTC` shows mark, index, funding and the next funding time from the venue."""
    async with ExchangeStandIn() as exchange:
        listing = exchange.listing("binance", "BTCUSDT")
        listing.mark, listing.index, listing.funding_rate = "72013.40", "72010.00", "0.0001"
        async with running(api, db_path, **exchange.settings()):
            text = (await Chat(api).say("/price BTC"))["text"]
    assert "Mark price <b>$72,013.40</b>" in text
    assert "Index price $72,010.00" in text
    assert "Funding rate 0.01%: longs pay shorts" in text
    assert "Next funding at" in text


async def test_funding_at_the_current_rate(api: StandIn, db_path: Path) -> None:
    """`/funding BTC 1224` at the venue's current 0.01% for one 8-hour interval: 1224 × 0.0001
    = $0.12 paid by a long, and the rate's source named."""
    async with ExchangeStandIn() as exchange:
        exchange.listing("binance", "BTCUSDT").funding_rate = "0.0001"
        async with running(api, db_path, **exchange.settings()):
            text = (await Chat(api).say("/funding BTC 1224"))["text"]
    assert "You pay <b>$0.12</b>" in text
    assert "Rate = current funding rate 0.01%, Binance USDⓈ-M," in text


async def test_entry_ten_times_off_the_mark_is_flagged(api: StandIn, db_path: Path) -> None:
    """After the bot has seen BTC's mark at 72,000, an entry of 7,200 (a zero dropped) gets a
    warning: 72,000 / 7,200 = 10 is still plausible, 72,000 / 7,100 ≈ 10.14 is not."""
    async with ExchangeStandIn() as exchange:
        exchange.listing("binance", "BTCUSDT").mark = "72000"
        async with running(api, db_path, **exchange.settings()):
            me = Chat(api)
            await me.say("/price BTC")
            near = (await me.say("/size BTC 7200 stop 7100 acct 1000 lev 5"))["text"]
            far = (await me.say("/size BTC 7100 stop 7000 acct 1000 lev 5"))["text"]
    assert "more than ten times away" not in near
    assert "Your entry $7,100.00 is more than ten times away from the last mark price" in far
