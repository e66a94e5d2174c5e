"""Each project's reference class without running a simulation (for tables)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import Calibration, load_calibration
from src.engine.reference import class_labels, short_weight
from src.engine.timeline import finished_rows, planned_and_elapsed


def reference_classes(
    portfolio: pd.DataFrame, as_of: date, calibration: Calibration | None = None
) -> np.ndarray:
    """Each row's class as the engine assigns it: short, blend, long or reported.

    >>> from src.engine.examples import AS_OF, three_projects
    >>> reference_classes(three_projects(), AS_OF).tolist()
    ['long', 'long', 'short']
    """
    cal = calibration if calibration is not None else load_calibration()
    planned, elapsed = planned_and_elapsed(portfolio, as_of, cal)
    finished, _ = finished_rows(portfolio, as_of, planned, elapsed)
    weight = short_weight(planned) if "short" in cal.classes else np.zeros(len(planned))
    return class_labels(weight, finished)
