"""What every source module returns when it reads a file."""

from dataclasses import dataclass

import pandas as pd


@dataclass
class RawTable:
    """A publisher file read as text columns with canonical names, plus the period it covers."""

    frame: pd.DataFrame
    period: str
