"""Where the venues' public APIs are, as settings, so tests and operators behind a proxy can
point the refresh and the mark prices elsewhere; and the optional Binance key.

The Binance key is a secret: it is only ever read through `SecretStr.get_secret_value()` at the
moment a request is signed, so neither logs nor reprs carry it.
"""

from __future__ import annotations

from pydantic import Field, HttpUrl, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class MarketSettings(BaseSettings):
    """`RISKBOT_BINANCE_URL` and friends; each default is the venue's own public REST host.

    Binance serves COIN-M from a host of its own (dapi), so it has its own setting rather than
    one derived from the USDⓈ-M host: a proxy may serve either under any name.
    """

    model_config = SettingsConfigDict(env_prefix="RISKBOT_", env_file=".env", extra="ignore")

    # Each exchange's published base endpoint: Binance USDⓈ-M and COIN-M Futures API "General
    # Info", Bybit V5 API "Integration Guidance" (mainnet), OKX API v5 "REST API" (production).
    binance_url: HttpUrl = HttpUrl("https://fapi.binance.com")
    binance_coinm_url: HttpUrl = HttpUrl("https://dapi.binance.com")
    bybit_url: HttpUrl = HttpUrl("https://api.bybit.com")
    okx_url: HttpUrl = HttpUrl("https://www.okx.com")
    # A read-only key unlocks Binance's bracket tables; without one the shipped tables stay.
    binance_api_key: SecretStr | None = None
    binance_api_secret: SecretStr | None = None
    # Seconds one request of a refresh may take before that venue counts as failed.
    refresh_timeout: float = Field(default=20.0, gt=0)

    def base(self, setting: str) -> str:
        """A venue's base URL as requests are joined to it: no trailing slash."""
        url: HttpUrl = getattr(self, setting)
        return str(url).rstrip("/")

    def binance_credentials(self) -> tuple[str, str] | None:
        """Key and secret when both are set; half a pair cannot sign anything."""
        if self.binance_api_key is None or self.binance_api_secret is None:
            return None
        key = self.binance_api_key.get_secret_value()
        secret = self.binance_api_secret.get_secret_value()
        return (key, secret) if key and secret else None
