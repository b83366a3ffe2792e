"""Two-sample statistics for insights, standard library only.

Welch's t interval for a difference of means (no equal-variance assumption), Student's t
distribution through the regularised incomplete beta function, and Cohen's d. Pure functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

CONFIDENCE = 0.95


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz's method)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-15:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom (df may be fractional)."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p, by bisection on the CDF (monotone, so it always converges)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    low, high = -1.0, 1.0
    while t_cdf(low, df) > p:
        low *= 2.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def variance(values: Sequence[float]) -> float:
    """The sample variance (n - 1 in the denominator)."""
    centre = mean(values)
    return math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1)


@dataclass(frozen=True)
class Comparison:
    """Group ``a`` against group ``b``: the difference of their means with its interval."""

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    difference: float  # mean_a - mean_b
    low: float  # the interval's ends
    high: float
    t: float
    df: float
    p: float  # two-sided
    effect_size: float  # Cohen's d with the pooled standard deviation

    @property
    def includes_zero(self) -> bool:
        return self.low <= 0.0 <= self.high


def welch(a: Sequence[float], b: Sequence[float], confidence: float = CONFIDENCE) -> Comparison:
    """Welch's two-sample t interval for mean(a) - mean(b). Needs at least two values on each side."""
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        raise ValueError("each group needs at least two values")
    mean_a, mean_b = mean(a), mean(b)
    var_a, var_b = variance(a), variance(b)
    share_a, share_b = var_a / n_a, var_b / n_b
    difference = mean_a - mean_b
    se = math.sqrt(share_a + share_b)
    pooled = math.sqrt(((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2))
    effect = difference / pooled if pooled > 0 else 0.0
    if se == 0.0:
        # Two constant groups: the difference is exact (or there is none).
        return Comparison(n_a, n_b, mean_a, mean_b, difference, difference, difference,
                          math.inf if difference else 0.0, float(n_a + n_b - 2), 0.0 if difference else 1.0, effect)
    # Welch-Satterthwaite, written with the shares' proportions so tiny variances cannot underflow.
    part_a, part_b = share_a / (share_a + share_b), share_b / (share_a + share_b)
    df = 1.0 / (part_a**2 / (n_a - 1) + part_b**2 / (n_b - 1))
    t = difference / se
    margin = t_quantile(0.5 + confidence / 2.0, df) * se
    p = 2.0 * (1.0 - t_cdf(abs(t), df))
    return Comparison(n_a, n_b, mean_a, mean_b, difference, difference - margin, difference + margin, t, df, p, effect)
