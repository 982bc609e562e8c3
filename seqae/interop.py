"""Other libraries' layouts: channels-first arrays, long-format frames.

The public import path; the code lives in :mod:`seqae.io.interop`.
"""

from .io.interop import (
    ChannelsFirstAdapter,
    LayoutWarning,
    channels_first_adapter,
    from_channels_first,
    from_long_format,
    to_channels_first,
)

__all__ = [
    "ChannelsFirstAdapter",
    "LayoutWarning",
    "channels_first_adapter",
    "from_channels_first",
    "from_long_format",
    "to_channels_first",
]
