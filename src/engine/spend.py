"""Spend by quarter along each row's S-curve, from closed-form cubic coefficients.

Nothing is indexed by month: rows are binned by completion quarter and the
cubic coefficients summed per bin, so memory is O(trials × rows).
"""

from __future__ import annotations

import numpy as np

F32 = np.float32


def spend_factors(progress: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row factors k1, k2, k3 of the spend cubic (float64), see `quarterly_spend`.

    With τ0 = G⁻¹(p) = ½ − sin(asin(1 − 2p)/3) the cost to complete spent by
    month t of M is CTC·(k1·t/M + k2·(t/M)² + k3·(t/M)³).

    >>> [float(k.round(6)[0]) for k in spend_factors(np.array([0.0]))]
    [0.0, 3.0, -2.0]
    """
    a = 0.5 - np.sin(np.arcsin(np.clip(1 - 2 * progress, -1, 1)) / 3)
    wq = 1.0 / np.maximum(1 - progress, 1e-6)
    return (
        wq * 6 * a * (1 - a) * (1 - a),
        wq * 3 * (1 - 2 * a) * (1 - a) ** 2,
        wq * -2 * (1 - a) ** 3,
    )


def quarterly_spend(
    months: np.ndarray,
    ctc: np.ndarray,
    *,
    k1: np.ndarray,
    k2: np.ndarray,
    k3: np.ndarray,
    quarters: int,
    full: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Cumulative spend at each quarter end (trials, quarters), USD.

    Each row spends its cost to complete along the smoothstep S-curve
    G(τ) = 3τ² − 2τ³ of its whole life, continued from its current progress p
    (τ0 = G⁻¹(p)) to its simulated completion. The cumulative spend is a cubic
    in t until completion, so rows are binned by completion quarter and the
    cubic coefficients summed per bin.

    With `full` = (months, cost to complete) of rows closed early by an "end"
    lever, a row follows the cubic of its full life and stops at `months`
    having spent `ctc` (the cubic's value there).
    """
    nq = quarters
    life, whole = (months, ctc) if full is None else full
    # With r = 1/M the cubic's coefficients are CTC·k1·r, CTC·k2·r², CTC·k3·r³,
    # where k1..k3 depend on the row only (`spend_factors`, float32 here).
    r = np.maximum(life, F32(1e-3))
    np.reciprocal(r, out=r)
    u = whole * r
    c1 = u * k1
    u *= r
    c2 = u * k2
    u *= r
    u *= k3
    nb = nq + 2
    j = months / F32(3)
    np.ceil(j, out=j)
    np.clip(j, 0, nq + 1, out=j)  # finished rows end before the data date
    # Offsets of each trial's bins, added in float32 (exact: integers below
    # 2**24, as trials × bins ≤ 100,000 × 42).
    j += np.arange(0, len(months) * nb, nb, dtype=F32)[:, None]
    j = j.astype(np.intp).ravel()
    size = len(months) * nb
    done, b1, b2, b3 = (
        np.bincount(j, x.ravel(), size).reshape(-1, nb) for x in (ctc, c1, c2, u)
    )
    # At quarter end t_q rows ending in bins ≤ q+1 are finished (their CTC is
    # spent); rows in later bins are on their cubic: Σ b1·t + b2·t² + b3·t³.
    t = 3.0 * np.arange(1, nq + 1)
    later = slice(2, nb)
    tail = [np.cumsum(b[:, ::-1], axis=1)[:, ::-1][:, later] for b in (b1, b2, b3)]
    ended = np.cumsum(done, axis=1)[:, 1 : nq + 1]
    return ended + t * (tail[0] + t * (tail[1] + t * tail[2]))
