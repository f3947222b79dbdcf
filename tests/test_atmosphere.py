"""Standard atmosphere against COESA / US Standard Atmosphere 1976 tabulated values."""

import numpy as np
import pytest

from thaad import atmosphere

PERCENT = 1e-2

# USSA-1976 (NOAA/NASA/USAF 1976, Table I), geometric altitude: z [m], T [K], p [Pa], rho [kg/m3]
COESA_1976 = [
    (0.0, 288.15, 101325.0, 1.2250),
    (5000.0, 255.676, 54048.0, 0.73643),
    (11000.0, 216.774, 22700.0, 0.36480),
    (20000.0, 216.65, 5529.3, 0.088910),
    (32000.0, 228.490, 889.06, 0.013555),
    (50000.0, 270.65, 79.779, 1.0269e-3),
    (70000.0, 219.585, 5.2209, 8.2829e-5),
    (80000.0, 198.639, 1.0524, 1.8458e-5),
]


@pytest.mark.parametrize("z, t, p, rho", COESA_1976)
def test_lower_atmosphere_matches_coesa_1976_table(z, t, p, rho):
    r, pp, tt, a = atmosphere.properties(z)
    assert tt == pytest.approx(t, abs=0.01)
    assert pp == pytest.approx(p, rel=0.05 * PERCENT)
    assert r == pytest.approx(rho, rel=0.05 * PERCENT)
    assert a == pytest.approx(np.sqrt(1.4 * 287.05287 * t), rel=0.01 * PERCENT)


def test_upper_atmosphere_matches_ussa_1976_table_between_nodes():
    # values not used as spline nodes: 95 km (USSA-1976 Table I: T 188.42 K, p 7.5966e-2 Pa,
    # rho 1.3930e-6) and 86-1000 km nodes at exact values
    r, p, t, _ = atmosphere.properties(95e3)
    assert t == pytest.approx(188.42, abs=0.05)
    assert p == pytest.approx(7.5966e-2, rel=2 * PERCENT)
    assert r == pytest.approx(1.3930e-6, rel=2 * PERCENT)
    table = atmosphere.USSA76_TABLE_I[1:]
    r, p, t, _ = atmosphere.properties(table[:, 0])
    np.testing.assert_allclose(p, table[:, 1], rtol=1e-9)
    np.testing.assert_allclose(r, table[:, 2], rtol=1e-9)
    # USSA-1976 kinetic temperatures at 120 and 1000 km (defining values: 360 K and ~1000 K)
    assert atmosphere.temperature_k(120e3) == pytest.approx(360.0, abs=0.01)
    assert atmosphere.temperature_k(1000e3) == pytest.approx(1000.0, abs=0.1)


def test_continuous_at_ambiance_top_and_at_86_km():
    for z in (atmosphere.H_TOP_M, atmosphere.Z86_M):
        lo = np.array(atmosphere.properties(z - 1e-3))
        hi = np.array(atmosphere.properties(z + 1e-3))
        np.testing.assert_allclose(lo, hi, rtol=1e-4)
    # and the 86 km node agrees with the USSA-1976 table to 0.1 %
    r86 = atmosphere.density_kg_m3(86e3)
    assert r86 == pytest.approx(6.958e-6, rel=0.1 * PERCENT)


def test_density_decreases_monotonically_to_1000_km_and_beyond():
    z = np.linspace(-4e3, 1500e3, 20001)
    rho = atmosphere.density_kg_m3(z)
    assert np.all(np.diff(rho) < 0)
    assert atmosphere.density_kg_m3(1000e3) < 1e-14


def test_vectorised_shapes_and_fast_lookup_agree():
    z = np.random.default_rng(1).uniform(0, 900e3, (7, 11))
    rho = atmosphere.density_kg_m3(z)
    assert rho.shape == (7, 11)
    fast, snd = atmosphere.fast_density_and_sound(z)
    np.testing.assert_allclose(fast, rho, rtol=1e-4)
    np.testing.assert_allclose(snd, atmosphere.speed_of_sound_m_s(z), rtol=1e-4)
