"""Capacity as a queue: the ramp-up of a capacity gain and the congestion multiplier.

See docs/MODEL.md, "Capacity (Kingman queue)". Both functions are float32 and
work on a row vector or a (trials, rows) array alike.
"""

from __future__ import annotations

import numpy as np

F32 = np.float32


def ramp_capacity(mref: np.ndarray, gain: np.ndarray, tau: float) -> np.ndarray:
    """Mean capacity over the remaining months `mref` when a gain ramps in.

    The gain grows linearly over τ months: 1 + k·(1 − τ / (2M)) if M ≥ τ,
    else 1 + k·M / (2τ) (a new float32 array).

    >>> m = np.array([[2.25, 9.0]], dtype=F32)
    >>> ramp_capacity(m, np.array([1.0, 1.0], dtype=F32), 4.5).tolist()
    [[1.25, 1.75]]
    """
    tau = F32(tau)
    ramp = np.maximum(mref, tau)
    ramp *= 2
    np.divide(tau, ramp, out=ramp)
    np.subtract(1, ramp, out=ramp)
    np.divide(mref, 2 * tau, out=ramp, where=mref < tau)
    ramp *= gain
    ramp += 1
    return ramp


def congestion(
    cap: np.ndarray,
    *,
    rho0w: np.ndarray,
    kappa: np.ndarray,
    stretch: np.ndarray,
    rho0: float,
    rho_cap: float,
    overload: bool,
) -> np.ndarray:
    """Duration multiplier from congestion and throughput (float32).

    ρ' = ρ0·w / cap, Q = [1 + κ (f(min(ρ', ρ_cap)) / f(ρ0) − 1)] ·
    max(1, ρ' / ρ_cap) with f(ρ) = ρ / (1 − ρ), times the stretch multiplier
    (docs/MODEL.md, Capacity). `cap` is overwritten. Steps that cannot change
    the result are skipped: the overload factor unless `overload` (no ρ' can
    reach the cap), × 1 when no row stretches.

    >>> one = np.ones(1, dtype=F32)
    >>> kw = {"rho0w": 0.8 * one, "stretch": one, "rho0": 0.8, "rho_cap": 0.95}
    >>> def q(cap):  # rounded, as float64
    ...     m = congestion(cap * one, kappa=one, overload=True, **kw)
    ...     return m.astype(float).round(4)
    >>> q(1.0).tolist(), q(2.0).tolist()  # ρ' = ρ0, then f(0.4) / f(0.8)
    ([1.0], [0.1667])
    """
    rho = np.divide(rho0w, cap, out=cap)
    rc = F32(rho_cap)
    f0 = rho0 / (1 - rho0)
    qq = np.minimum(rho, rc) if overload else rho
    mult = 1 - qq
    np.divide(qq, mult, out=mult)
    mult /= F32(f0)
    mult -= 1
    mult *= kappa
    mult += 1
    if overload:
        mult *= np.maximum(1, rho / rc)
    if (stretch != 1).any():
        mult *= stretch
    return mult
