"""What every chart shares (the price ladder in `ladder.py`, the risk record in `risk_chart.py`).

Charts are what a member takes in faster than a paragraph. They are drawn with matplotlib's
object API on the Agg canvas only: no pyplot, so no global figure registry to leak memory in a
long-running bot. matplotlib is imported inside the functions, so starting the bot neither loads
it nor pays for it until the first chart is asked for. Rendering takes a fraction of a second of
CPU, so the bot runs these functions in a worker thread (`asyncio.to_thread`); a lock keeps two
renders from sharing matplotlib's font caches at once.

Every word goes through the member's Translator and every number through its locale (German gets
68.674,70 $). The same data gives the same bytes: no timestamp or software name is written into
the PNG, and the bundled DejaVu Sans font is named, so the picture does not depend on the fonts
a server happens to have.
"""

from __future__ import annotations

import functools
import io
import threading
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chatbot.render.i18n import Translator, translator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 150
LADDER_SIZE = (1080, 1350)  # portrait: fills a phone screen
RISK_SIZE = (1200, 900)
FONT = "DejaVu Sans"  # ships with matplotlib; covers Latin, Turkish and Cyrillic
TITLE_PT, NAME_PT, DETAIL_PT, NOTE_PT = 21, 17, 14, 13
TITLE_CHARS = 34
WRAP = 58  # characters per line of the ladder's header and footer
BAR = 0.3  # the share of the ladder's width its price bar takes; labels sit to the right
LABEL_X = BAR + 0.07
LABEL_GAP = 0.115  # the share of the ladder's height one two-line label needs
MAX_POINTS = 50  # the latest checks shown, so markers stay tappable-large on a phone
MAX_DATE_TICKS = 5  # dates under the risk chart; more overlap at a phone's font size

INK, MUTED, GRID = "#1d2733", "#5b6675", "#e3e7ec"
ENTRY, STOP, TARGET, LIQ = "#1f5fbf", "#d9822b", "#2e8b57", "#c0392b"

# Reentrant: a PNG function holds it for encoding and its figure function takes it again.
RENDER_LOCK = threading.RLock()

# --- shared drawing helpers -------------------------------------------------------------------


def new_figure(size: tuple[int, int]) -> Figure:
    """A white figure of `size` pixels on its own Agg canvas (matplotlib imported here, lazily)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes without metadata, so equal data gives equal bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


@functools.cache
def _glyphs() -> frozenset[int]:
    """The characters the chart font can draw."""
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(font_manager.get_font(path).get_charmap())


def drawable(text: str) -> str:
    """Text the font can draw: the Ⓢ of "USDⓈ-M" becomes its plain form S, and anything
    without a plain form (emoji) is left out rather than drawn as an empty box."""
    glyphs = _glyphs()

    def plain(char: str) -> str:
        if char.isspace() or ord(char) in glyphs:
            return char
        return "".join(c for c in unicodedata.normalize("NFKC", char) if ord(c) in glyphs)

    return "".join(plain(char) for char in text)


def place_text(where: Figure | Axes, x: float, y: float, text: str, **style: Any) -> None:
    """Text drawn literally: `$` in a price is not matplotlib math, and the font is fixed."""
    color = style.pop("color", INK)
    where.text(x, y, drawable(text), parse_math=False, family=FONT, color=color, **style)


def signed_percent(tr: Translator, fraction: Decimal) -> str:
    """A move from entry with its direction: +2.08% above, -0.69% below."""
    shown = tr.percent(fraction)
    return f"+{shown}" if fraction > 0 else shown


def chart_unavailable(lang: str) -> str:
    """Said when a logged check can no longer be drawn (its venue is no longer listed)."""
    return translator(lang).gettext("This check can no longer be drawn.")
