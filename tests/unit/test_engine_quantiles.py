"""The sort-based quantile helper equals numpy's quantile bit for bit."""

import numpy as np
import pytest

from src.engine.metrics import QUANTILES, sorted_quantiles


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 2, 3, 10, 255, 256, 1001])
def test_sorted_quantiles_equal_numpy(dtype, n):
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((n, 40)) * 37.0).astype(dtype)
    x[:, :4] = 3.0  # ties
    expected = np.quantile(x, QUANTILES, axis=0)
    got = sorted_quantiles(np.sort(x, axis=0))
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
