"""Warm starts of Monte Carlo draws from the band's anchor solutions (ballistics.aim_warm)."""

from dataclasses import replace

import numpy as np
from thaad.ballistics import FlightOptions, Fleet, aim, fly
from thaad.ballistics.aim_warm import ANCHORS, TIGHT_M, _blend, solve_anchors, start_at
from thaad.geo import geodesic_direct

from test_ballistics_aim import DEG, KM, LAT, LON, SCUD_LIKE, TOL


def test_blend_is_exact_for_a_quadratic_on_each_half():
    """The quadratic through the three anchors of a half reproduces any quadratic in u
    there (to round-off), and a different one on the other half (a kink at 0.5)."""
    rng = np.random.default_rng(3)
    lo, hi = rng.normal(size=3), rng.normal(size=3)
    f = lambda u: np.where(u <= 0.5, lo[0] + lo[1] * u + lo[2] * u * u, hi[0] + hi[1] * u + hi[2] * u * u)  # noqa: E731
    a = np.asarray(ANCHORS)
    # the two pieces meet at 0.5 (continuous): take the lower piece's value there
    hi[0] += (lo[0] + lo[1] * 0.5 + lo[2] * 0.25) - (hi[0] + hi[1] * 0.5 + hi[2] * 0.25)
    u = rng.uniform(0, 1, 200)
    v = np.broadcast_to(f(a)[:, None, None], (a.size, u.size, 2)).copy()
    out, near, any_ok = _blend(v, np.ones((a.size, u.size), bool), u, linear=(1,))
    np.testing.assert_allclose(out[:, 0], f(u), atol=1e-12)
    np.testing.assert_allclose(out[:, 1], np.interp(u, a, f(a)), atol=1e-12)  # the linear column: between anchors
    assert any_ok.all() and np.all(np.abs(a[near] - u) <= 0.125 + 1e-12)


def test_blend_falls_back_to_the_nearest_solved_anchor():
    v = np.arange(5.0)[:, None, None] * np.ones((1, 3, 1))
    ok = np.ones((5, 3), bool)
    ok[0, :] = False  # the low end unsolved: draws in [0, 0.5] take the nearest solved anchor
    ok[:, 2] = False  # nothing solved for the third draw
    out, near, any_ok = _blend(v, ok, np.array([0.1, 0.3, 0.9]))
    assert out[0, 0] == 1.0 and out[1, 0] == 1.0  # anchor 0.25
    assert list(any_ok) == [True, True, False]


def _band(u):
    """A band of Scud-like vehicles: payload 1,085 kg (u = 0) to 885 kg (u = 1), Isp 235-245 s."""
    w = float(u)
    return replace(SCUD_LIKE, payload_kg=1085.0 - 200.0 * w,
                   stages=(replace(SCUD_LIKE.stages[0], isp_s=235.0 + 10.0 * w),))


def test_draws_started_from_interpolated_anchors_land_mostly_on_their_first_flight(monkeypatch):
    """Draws (another quantile, the launch point moved 12 km) started from the anchors'
    solutions, interpolated at the virtual targets, land on every target within the
    tolerances, and most of them on the first flight."""
    import thaad.ballistics.aim_flyer as aim_flyer

    d = np.linspace(190, 270, 5) * KM
    b = np.linspace(130, 170, 5) * DEG
    dd, bb = (x.ravel() for x in np.meshgrid(d, b))
    tlat, tlon, _ = geodesic_direct(np.full(dd.size, LAT), np.full(dd.size, LON), bb, dd)
    n = tlat.size
    _, nominal = aim(_band(0.5), LAT, LON, tlat, tlon)
    assert nominal.reachable.all()
    anchors = solve_anchors(_band, nominal, tlat, tlon, shape="min-energy")
    for u, s in zip(ANCHORS, anchors.solutions):  # solved tighter than draws are (the weakest misses the far row)
        assert s.reachable.sum() >= (n - 5 if u == 0.0 else n) and np.all(s.miss_m[s.reachable] <= 2 * TIGHT_M)
    flown = []
    real_fly = aim_flyer.fly
    monkeypatch.setattr(aim_flyer, "fly", lambda v, lat, *a, **k: flown.append(np.size(lat)) or real_fly(v, lat, *a, **k))
    lat1, lon1, _ = geodesic_direct(LAT, LON, 60 * DEG, 12 * KM)
    inner = np.flatnonzero((dd > d[0]) & (dd < d[-1]) & (bb > b[0]) & (bb < b[-1]))  # virtual targets inside the set
    for u in (0.3, 0.8):
        veh = Fleet.from_quantiles(_band, np.full(inner.size, u), table_step=0.25)
        start = start_at(anchors, inner, np.full(inner.size, u), np.full(inner.size, lat1), np.full(inner.size, lon1))
        assert np.mean(start.moved) >= 0.6  # the others' virtual targets fall outside the set: the launch-move step
        flown.clear()
        opts = FlightOptions(sample_s=2.0)
        ts, sol = aim(veh, np.full(inner.size, lat1), np.full(inner.size, lon1), tlat[inner], tlon[inner], start=start,
                      options=opts)
        assert sol.reachable.all() and np.all(sol.miss_m <= TOL)
        # the final set, assembled in place in the first flight's arrays, is a fresh flight of the solution
        again = fly(veh, lat1, lon1, sol.azimuth_rad, sol.loft_rad, burn_fraction=sol.energy_fraction, options=opts)
        np.testing.assert_array_equal(ts.n_samples, again.n_samples)
        w = int(again.n_samples.max())
        np.testing.assert_allclose(ts.position_ecef_m[:, :w], again.position_ecef_m[:, :w], atol=1e-6, rtol=0)  # m
        np.testing.assert_allclose(ts.alt_m[:, :w], again.alt_m[:, :w], atol=1e-6, rtol=0)
        assert np.all(np.isnan(ts.t_s[:, w:]))
        # the old start (the nominal's controls one predicted step ahead) flew at least two
        # flights per draw: an unsampled one, then the final; here 13 for 9 when written
        assert sum(flown) <= 1.7 * inner.size, (u, sum(flown), inner.size)
