"""Starting tables of the aim solver, one per launch-geometry group, built once and reused.

For energies ``f`` on a grid, a golden-section search over the loft finds the true
maximum-range loft (with drag, rotation, J2 as configured).  In vacuum this is the Kepler
optimum; with drag the burnout angle of the true optimum differs from it by a few degrees,
and that offset (interpolated in ``f``) is added to the minimum-energy condition so that
"min-energy" is the maximum-range trajectory for its energy.  The table's ranges give the
starting energy and loft of every pair.

A table row depends only on the vehicle, the flight options and the group's rounded
launch geometry, so rows are kept in an in-process cache keyed by exactly those (frozen,
hashable) values: later calls (other Monte Carlo samples, other questions, the aimed
flights of another command in the same process) fly only the groups not seen before.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from thaad.ballistics.aim_flyer import Flyer, Pairs
from thaad.ballistics.vehicle import Fleet
from thaad.numeric import golden_section_max

N_ENERGIES = 9  # energy grid of the table
GOLDEN_ITERATIONS = 12  # loft bracket shrinks to 0.618**12 = 0.3 % of its width
CACHE_ROWS = 20_000  # rows kept (a row: 3 x 9 floats + its key)

_CACHE: OrderedDict = OrderedDict()
_STATS = {"hits": 0, "misses": 0}


def cache_info() -> dict:
    """Rows cached, hits and misses since the start of the process (diagnostics, benches)."""
    return {"rows": len(_CACHE), **_STATS}


def clear_cache() -> None:
    _CACHE.clear()
    _STATS.update(hits=0, misses=0)


def table_groups(fl: Flyer, az0, launch=None):
    """Group the pairs by rounded launch geometry, so that each group's starting table is
    flown for the group's rounded key, never for whichever pair happens to come first:
    a pair's solution then does not depend on the batch it is solved in.  ``launch``
    ``(lat, lon)`` (N,) and ``az0``: the launch points and azimuths the key is made of, if
    not the pairs' own (Monte Carlo draws of a launch point share its tables).

    Key: launch latitude/longitude to 0.25 deg, azimuth on a 10 deg grid, launch and
    target heights to 100 m, the table vehicle (see :class:`Fleet`), and (burnout-state
    starts) speed to 1 m/s and beta to 1 kg/m^2.  A pair blends the groups of the two grid
    azimuths around its own and of its two table vehicles (bilinear weights), so that the
    minimum-energy condition's drag offset is continuous in azimuth (nearby targets on
    either side of a grid azimuth get nearby solutions).  Returns the representative flyer
    (one pair per group, targets at the launch point), each group's azimuth, the four
    groups of each pair (N, 4), their weights (N, 4) and the group keys.
    """
    q = fl.pairs
    n = q.lat.size
    lat, lon = (q.lat, q.lon) if launch is None else launch
    lat_q = np.round(np.degrees(lat) / 0.25) * 0.25
    lon_q = np.round(np.degrees(lon) / 0.25) * 0.25
    a10 = np.mod(np.degrees(az0), 360.0) / 10.0
    az_lo = np.floor(a10)
    w_az = np.clip(a10 - az_lo, 0.0, 1.0)
    az_corners = (np.mod(az_lo * 10.0, 360.0), np.mod((az_lo + 1.0) * 10.0, 360.0))
    alt_q = np.round(q.alt / 100.0) * 100.0
    talt_q = np.round(q.talt / 100.0) * 100.0
    if fl.vehicle is not None:
        t_vehicles, t_index, w_v = fl.vehicle.table_anchors()
        vcols = (t_index[:, 0].astype(float), t_index[:, 1].astype(float))
    else:
        w_v = np.zeros(n)
        extra = np.stack([np.round(q.speed), np.where(np.isfinite(q.beta), np.round(q.beta), 1e300)], axis=1)
        vcols = (extra, extra)
    blocks, weights = [], []
    for ia, wa in ((0, 1.0 - w_az), (1, w_az)):
        for iv, wv in ((0, 1.0 - w_v), (1, w_v)):
            base = np.stack([lat_q, lon_q, az_corners[ia], alt_q, talt_q], axis=1)
            blocks.append(np.concatenate([base, vcols[iv].reshape(n, -1)], axis=1))
            weights.append(wa * wv)
    keys, rows = _unique_rows(np.concatenate(blocks))
    rows = rows.reshape(4, n).T
    weight = np.stack(weights, axis=1)
    lat_r, lon_r = np.radians(keys[:, 0]), np.radians(keys[:, 1])
    fleet = speed = beta = None
    if fl.vehicle is None:
        speed, beta = keys[:, 5], np.where(keys[:, 6] >= 1e300, np.inf, keys[:, 6])
    else:
        fleet = Fleet(t_vehicles, keys[:, 5].astype(np.intp))
    rep = Flyer(fleet, Pairs(lat_r, lon_r, keys[:, 3], lat_r, lon_r, keys[:, 4], speed, beta), fl.options)
    return rep, np.radians(keys[:, 2]), rows, weight, keys


def _unique_rows(a):
    """``np.unique(a, axis=0, return_inverse=True)`` up to the order of the rows, several
    times faster: the rows compared as raw bytes (-0.0 made +0.0 first)."""
    a = np.ascontiguousarray(a + 0.0)
    v = a.view(np.dtype((np.void, a.dtype.itemsize * a.shape[1]))).ravel()
    _, first, inverse = np.unique(v, return_index=True, return_inverse=True)
    return a[first], inverse.reshape(-1)


def _fly_tables(rep: Flyer, az_rep, fs):
    """Golden-section maximum-range loft per (group, energy): returns (offset, range, loft),
    each (G, m)."""
    g_n, m = az_rep.size, fs.size
    grp = np.repeat(np.arange(g_n), m)  # (G*m,) group of each table entry
    f_all = np.tile(fs, g_n)
    az = az_rep[grp]
    k = g_n * m

    def ranges(x1, x2):
        ts = rep.fly(np.concatenate([grp, grp]), np.concatenate([az, az]), np.concatenate([x1, x2]),
                     np.concatenate([f_all, f_all]))
        return ts.range_m[:k], ts.range_m[k:]

    ps = golden_section_max(ranges, np.full(k, rep.p_lo), np.full(k, rep.p_hi), GOLDEN_ITERATIONS)
    ts = rep.fly(grp, az, ps, f_all)
    offset = np.nan_to_num(rep.gamma_residual(grp, ts, None)).reshape(g_n, m)
    rng = np.where(np.isfinite(ts.range_m), ts.range_m, 0.0).reshape(g_n, m)
    return offset, rng, ps.reshape(g_n, m)


def _row_keys(fl: Flyer, keys):
    veh = fl.vehicle.table_anchors()[0] if fl.vehicle is not None else None
    out = []
    for key in keys:
        who = veh[int(key[5])] if veh is not None else None
        out.append((who, fl.fast, tuple(float(x) for x in (key[:5] if veh is not None else key))))
    return out


def initial_guess(fl: Flyer, d_t, az0, launch=None):
    """Starting loft and energy of every pair from its group's table (cached rows reused;
    the missing groups flown together), and the drag offset of the minimum-energy
    condition stored on ``fl``.  Returns ``(p0, f0)``.  ``launch``: see :func:`table_groups`
    (``az0`` then from those launch points)."""
    rep, az_rep, rows, weight, keys = table_groups(fl, az0, launch)
    g_n, m = az_rep.size, N_ENERGIES
    fs = np.linspace(max(fl.f_lo, 0.1), 1.0, m)
    ckeys = _row_keys(fl, keys)
    offset, rng, ps = np.empty((g_n, m)), np.empty((g_n, m)), np.empty((g_n, m))
    missing = []
    for j, ck in enumerate(ckeys):
        hit = _CACHE.get(ck)
        if hit is None:
            missing.append(j)
        else:
            _CACHE.move_to_end(ck)
            offset[j], rng[j], ps[j] = hit
    _STATS["hits"] += g_n - len(missing)
    _STATS["misses"] += len(missing)
    if missing:
        miss = np.asarray(missing)
        o, r, p = _fly_tables(rep.subset(miss), az_rep[miss], fs)
        offset[miss], rng[miss], ps[miss] = o, r, p
        for j, row in zip(missing, zip(o, r, p)):
            _CACHE[ckeys[j]] = tuple(np.array(x) for x in row)
        while len(_CACHE) > CACHE_ROWS:
            _CACHE.popitem(last=False)
    if fl.drag_offset:
        fl.offset_f, fl.offset, fl.offset_row, fl.offset_w = fs, offset, rows, weight
    rng = np.maximum.accumulate(rng, axis=1) + np.arange(m) * 1e-3
    p0, f0 = np.zeros_like(d_t), np.zeros_like(d_t)
    for c in range(rows.shape[1]):  # blend the groups' starting guesses
        wc = weight[:, c]
        for j in np.unique(rows[:, c]):  # one table lookup per group
            sel = rows[:, c] == j
            f0[sel] += wc[sel] * np.interp(d_t[sel], rng[j], fs)
            p0[sel] += wc[sel] * np.interp(d_t[sel], rng[j], ps[j])
    return p0, f0
