"""A THAAD battery against a raid: inventory, launch rate, fire channels, doctrine.

A raid is a list of *objects*: each warhead, plus the decoys or debris the radar cannot tell
from it (a stated count, see :func:`credible_decoys`), which the battery therefore engages
exactly like the warhead.  Each object flies one trajectory, shifted by its launch time in
the raid.  For every object and launcher site the engagement geometry is the same as in
:mod:`thaad.engagement`: an intercept at threat sample ``j`` needs an interceptor away at
``L_j = t_j - tof(s_j, h_j)`` (NaN outside the flyout fan), and an interceptor away at
``tau`` meets the threat at the first sample with ``L_j >= tau``.  The running maximum of
``L`` over samples (the *window*, :class:`Windows`) answers that query by a binary search.

The battery's resources (:class:`RaidLimits`, estimates in the catalogue):

* inventory: ``n_launchers x interceptors_per_launcher``, plus ``reload_rounds`` spare
  rounds that reach a launcher only ``reload_s`` after it fired its last round;
* launch rate: two interceptors of the battery leave at least ``launch_interval_s`` apart;
* fire channels: at most ``fire_channels`` interceptors in flight (launch to intercept) at
  once, the number the fire-control radar can guide together.

Doctrine (:class:`Doctrine`): *shoot-look-shoot* fires one interceptor, waits for the
intercept and the kill assessment (``Battery.relook_s``) and fires again only if the
threat is still inside a window; *shoot-shoot* fires two interceptors together; *adaptive*
is shoot-look-shoot, but fires the second interceptor at once when no look would fit
before the window closes ("shoot-shoot when time is short").

Allocation is greedy and deterministic, in passes: pass 1 gives every object its first
interceptor (objects in order of their earliest possible launch), pass 2 the second, and
so on, so that no object's second shot takes a resource another object needs for its
first.  Every planned interceptor is *committed* (an upper bound on use); a follow-up
after a look is only *fired* if the earlier ones missed, which the expected use accounts
for: with independent single-shot kill probability ``Pk`` and engagements of ``m_k``
interceptors, ``P(kill) = 1 - prod_k (1 - Pk)^m_k`` and
``E[used] = sum_k m_k prod_{k'<k} (1 - Pk)^m_k'`` (closed forms: shoot-look-shoot with two
shots ``1 - (1-Pk)^2`` using ``1 + (1 - Pk)`` interceptors; shoot-shoot ``1 - (1-Pk)^2``
using 2).  A warhead and its decoys are indistinguishable, so the warhead's kill
probability is the mean over its group's objects.

The per-object windows are computed for all threats, samples and launcher sites at once
(numpy); the allocation itself is a short sequential loop over at most
``objects x max_shots`` decisions.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np

from thaad.trajectory import TrajectorySet
from thaad.engagement import Battery, _upsample, ground_range_from_m
from thaad.interceptor import FlyoutFan, flyout_fan

DOCTRINES = ("shoot-look-shoot", "shoot-shoot", "adaptive")


@dataclass(frozen=True)
class RaidLimits:
    """Battery resources that bound a raid (SI).  ``launcher_site[k]`` is the index into
    ``Battery.launcher_sites`` of launcher ``k`` (default: launchers dealt round-robin)."""

    fire_channels: int = 16
    launch_interval_s: float = 2.0
    reload_s: float = 1800.0
    reload_rounds: int = 0
    launcher_site: tuple[int, ...] | None = None

    def __post_init__(self):
        from thaad.errors import InputError

        if self.fire_channels < 1:
            raise InputError("raid.fire_channels", "must be >= 1")
        if not (math.isfinite(self.launch_interval_s) and self.launch_interval_s >= 0):
            raise InputError("raid.launch_interval_s", "must be a finite time >= 0 s")
        if not (self.reload_s > 0):
            raise InputError("raid.reload_s", "must be > 0 s")
        if self.reload_rounds < 0:
            raise InputError("raid.reload_rounds", "must be >= 0")


@dataclass(frozen=True)
class Doctrine:
    kind: str = "adaptive"
    max_shots: int = 2  # interceptors per object at most

    def __post_init__(self):
        from thaad.errors import InputError

        if self.kind not in DOCTRINES:
            raise InputError("raid.doctrine", f"must be one of {', '.join(DOCTRINES)}, got {self.kind!r}")
        if not 1 <= self.max_shots <= 8:
            raise InputError("raid.max_shots", "must be in 1-8")


@dataclass(frozen=True)
class Windows:
    """Engagement windows of G distinct trajectories (times since the threat's launch).

    ``t_s`` (G, J): threat sample times; ``launch_max_s`` (G, S, J): running maximum over
    samples of the required launch time from each of S launcher sites (-inf before the first
    feasible sample); ``ready_s`` (G,): earliest interceptor away (detection + reaction;
    NaN if never detected); ``impact_s`` (G,).
    """

    t_s: np.ndarray
    launch_max_s: np.ndarray
    ready_s: np.ndarray
    impact_s: np.ndarray

    @property
    def n_sites(self) -> int:
        return int(self.launch_max_s.shape[1])

    def last_launch_s(self) -> np.ndarray:
        """(G, S) latest launch that still intercepts (-inf: none)."""
        return self.launch_max_s[:, :, -1]


def windows(trajectories: TrajectorySet, detection_time_s, battery: Battery, *, fan: FlyoutFan | None = None,
            visible: np.ndarray | None = None, max_step_s: float = 1.0) -> Windows:
    """Windows of every trajectory from every launcher site, all at once (numpy)."""
    fan = flyout_fan(battery.interceptor) if fan is None else fan
    ts = trajectories
    valid = ts.valid
    t = np.where(valid, ts.t_s, np.nan)
    with np.errstate(invalid="ignore"):
        dt_max = np.nanmax(np.diff(t, axis=1)) if t.shape[1] > 1 else 0.0
    m = int(min(20, max(1, math.ceil(dt_max / max_step_s)))) if np.isfinite(dt_max) else 1
    t_f = _upsample(t, m)
    seen = None if visible is None else _upsample(np.asarray(visible, dtype=float), m) >= 0.999
    out = np.empty((ts.n, len(battery.launcher_sites), t_f.shape[1]))
    for k, (lat0, lon0, alt0) in enumerate(battery.launcher_sites):
        s = np.where(valid, ground_range_from_m(lat0, lon0, ts.lat_rad, ts.lon_rad, ts.earth), np.nan)
        launch = t_f - fan.time_of_flight(_upsample(s, m), _upsample(ts.alt_m - alt0, m))
        if seen is not None:
            launch = np.where(seen, launch, np.nan)
        out[:, k, :] = np.fmax.accumulate(np.nan_to_num(launch, nan=-np.inf), axis=1)
    det = np.broadcast_to(np.asarray(detection_time_s, dtype=float), (ts.n,))
    return Windows(np.nan_to_num(t_f, nan=np.inf), out, det + battery.reaction_s, np.asarray(ts.impact_time_s, float))


def credible_decoys(n_warheads: int, decoys_per_warhead: float, p_undiscriminated: float) -> np.ndarray:
    """Objects per warhead that the battery must engage besides the warhead.

    The expected count ``decoys x P(not discriminated)`` per warhead, spread over the raid
    as integers (floor or ceil) so that the raid total is the expected total rounded.
    A stated assumption, not a capability: nothing here models how decoys look.
    """
    from thaad.errors import InputError

    if decoys_per_warhead < 0 or not 0.0 <= p_undiscriminated <= 1.0:
        raise InputError("raid.decoys", "need decoys >= 0 and 0 <= p_undiscriminated <= 1")
    mean = decoys_per_warhead * p_undiscriminated
    total = int(round(mean * n_warheads))
    base = int(math.floor(mean))
    extra = total - base * n_warheads
    out = np.full(n_warheads, base, dtype=int)
    if extra > 0:  # spread the extras evenly over the raid
        out[np.floor(np.arange(extra) * n_warheads / extra).astype(int)] += 1
    return out


@dataclass
class RaidResult:
    """Per object (O) and per warhead (W) results of one raid plan."""

    object_warhead: np.ndarray  # (O,) warhead index of each object
    object_is_decoy: np.ndarray  # (O,) bool
    shots: np.ndarray  # (O,) interceptors committed
    launch_s: np.ndarray  # (O, max_shots) raid time of each interceptor away (NaN: none)
    intercept_s: np.ndarray  # (O, max_shots)
    object_p_kill: np.ndarray  # (O,)
    object_expected_interceptors: np.ndarray  # (O,)
    engageable: np.ndarray  # (O,) bool: a window exists, whatever the resources
    warhead_p_kill: np.ndarray  # (W,) mean over the warhead's group (indistinguishable objects)
    warhead_shots: np.ndarray  # (W,) interceptors committed to the group
    pk: float
    inventory: int

    @property
    def expected_leakers(self) -> float:
        return float(np.sum(1.0 - self.warhead_p_kill))

    @property
    def interceptors_committed(self) -> int:
        return int(self.shots.sum())

    @property
    def interceptors_expected(self) -> float:
        return float(self.object_expected_interceptors.sum())

    @property
    def unengaged(self) -> int:
        """Objects with a window that got no interceptor (the battery is saturated if > 0)."""
        return int(np.sum(self.engageable & (self.shots == 0)))

    @property
    def saturated(self) -> bool:
        return self.unengaged > 0


class _Resources:
    """Launch times per launcher, battery-wide launch list and in-flight intervals.

    Kept incrementally (sorted per-launcher lists, the count of rounds beyond the first
    load, in-flight intervals in growing arrays): :meth:`check` runs thousands of times per
    plan, so it must not rebuild them on every call."""

    def __init__(self, n_launchers, rounds, limits: RaidLimits):
        self.rounds = rounds
        self.lim = limits
        self.per = [[] for _ in range(n_launchers)]  # each sorted
        self.all: list[float] = []
        self.spare = limits.reload_rounds
        self._extra = 0  # sum over launchers of rounds fired beyond the first load
        self._s = np.empty(64)
        self._e = np.empty(64)
        self._n = 0

    @property
    def start(self) -> np.ndarray:
        return self._s[:self._n]

    @property
    def end(self) -> np.ndarray:
        return self._e[:self._n]

    def _rounds_ok(self, k, tau):
        """Launcher k can fire at tau (None) or the earliest later time it could (inf: never)."""
        n = self.rounds
        mine = self.per[k]
        if len(mine) >= n:  # a reload is involved: check every reload's timing
            times = mine.copy()
            bisect.insort(times, tau)  # same order as sorted(): equal times are interchangeable
            for idx in range(n, len(times), n):  # first launch of each reload
                if times[idx] < times[idx - 1] + self.lim.reload_s:
                    return times[idx - 1] + self.lim.reload_s if times[idx] == tau else math.inf
        used = max(0, len(mine) + 1 - n)
        extra_elsewhere = self._extra - max(0, len(mine) - n)
        if used + extra_elsewhere > self.spare:
            return math.inf
        return None

    def check(self, k, tau, t_end):
        """None if launcher k may launch at tau (in flight until t_end), else a retry time."""
        r = self._rounds_ok(k, tau)
        return r if r is not None else self.battery_check(tau, t_end)

    def battery_check(self, tau, t_end):
        """The launcher-independent part of :meth:`check`: launch interval and fire channels."""
        gap = self.lim.launch_interval_s
        i = bisect.bisect_left(self.all, tau - gap + 1e-9)
        if i < len(self.all) and self.all[i] < tau + gap - 1e-9:
            return self.all[i] + gap
        if self._n >= self.lim.fire_channels:  # fewer intervals than channels cannot fill them
            s = self.start
            e = self.end
            over = (s < t_end) & (e > tau)
            if over.sum() >= self.lim.fire_channels:
                pts = np.concatenate([[tau], s[over & (s > tau)]])
                busy = ((s[over][None, :] <= pts[:, None]) & (e[over][None, :] > pts[:, None])).sum(axis=1)
                if busy.max() >= self.lim.fire_channels:
                    return float(e[over].min())
        return None

    def take(self, k, tau, t_end):
        if len(self.per[k]) >= self.rounds:
            self._extra += 1
        bisect.insort(self.per[k], tau)
        bisect.insort(self.all, tau)
        if self._n == self._s.size:
            self._s = np.concatenate([self._s, np.empty(self._s.size)])
            self._e = np.concatenate([self._e, np.empty(self._e.size)])
        self._s[self._n] = tau
        self._e[self._n] = t_end
        self._n += 1


_UNSET = object()


def _first_shot(win: Windows, g, offset, ready, res: _Resources, sites, n_launchers):
    """Earliest-intercept launch for trajectory g (raid offset) at or after ``ready``."""
    last = win.launch_max_s[g, :, -1] + offset
    tau = ready
    for _ in range(200):
        if not np.isfinite(tau) or tau > last.max():
            return None
        best, retry = None, math.inf
        for s in range(win.n_sites):
            if tau > last[s]:
                continue
            j = int(np.searchsorted(win.launch_max_s[g, s], tau - offset, side="left"))
            t_launch = float(win.launch_max_s[g, s, j]) + offset
            t_int = float(win.t_s[g, j]) + offset
            shared = _UNSET  # the battery-wide checks are the same for every launcher of the site: once
            for k in range(n_launchers):
                if sites[k] != s:
                    continue
                r = res._rounds_ok(k, t_launch)  # res.check(k, t_launch, t_int), in two parts
                if r is None:
                    if shared is _UNSET:
                        shared = res.battery_check(t_launch, t_int)
                    r = shared
                if r is None:
                    key = (t_int, len(res.per[k]))  # earliest intercept, then the fullest launcher
                    if best is None or key < best[0]:
                        best = (key, k, t_launch, t_int)
                else:
                    retry = min(retry, r)
        if best is not None:
            return best[1], best[2], best[3]
        tau = max(retry, tau + 1e-6)
    return None


def plan(win: Windows, traj_index, launch_time_s, warhead_index, is_decoy, battery: Battery, limits: RaidLimits,
         doctrine: Doctrine, pk: float) -> RaidResult:
    """Allocate the battery's interceptors to the raid's objects (see the module docstring).

    ``traj_index`` (O,) picks each object's row of ``win``; ``launch_time_s`` (O,) is its
    threat's launch time in the raid; ``warhead_index`` (O,) groups a warhead with its decoys.
    """
    from thaad.errors import InputError

    if not 0.0 <= pk <= 1.0:
        raise InputError("pk", f"must be in [0, 1], got {pk}")
    g_of = np.asarray(traj_index, dtype=int)
    a_of = np.asarray(launch_time_s, dtype=float)
    w_of = np.asarray(warhead_index, dtype=int)
    n_obj = g_of.size
    n_l = battery.n_launchers
    sites = limits.launcher_site or tuple(k % len(battery.launcher_sites) for k in range(n_l))
    if len(sites) != n_l or not all(0 <= s < len(battery.launcher_sites) for s in sites):
        raise InputError("raid.launcher_site", f"needs one valid site index per launcher ({n_l})")
    res = _Resources(n_l, battery.interceptors_per_launcher, limits)
    ms = doctrine.max_shots
    launch = np.full((n_obj, ms), np.nan)
    inter = np.full((n_obj, ms), np.nan)
    salvo = np.zeros((n_obj, ms), dtype=int)  # engagement number of each interceptor
    shots = np.zeros(n_obj, dtype=int)
    ready = win.ready_s[g_of] + a_of
    last = np.max(win.launch_max_s[g_of, :, -1], axis=1) + a_of
    engageable = np.isfinite(ready) & (last >= ready)
    relook = battery.relook_s
    done = ~engageable
    for p in range(ms):
        if p == 0:
            due = ready.copy()
        else:
            due = np.full(n_obj, np.nan)
            partner = np.zeros(n_obj, dtype=bool)
            for o in np.nonzero(~done)[0]:
                k = shots[o] - 1
                cur = salvo[o, k]
                in_cur = salvo[o, :shots[o]] == cur
                look = np.nanmax(inter[o, :shots[o]][in_cur]) + relook
                size = int(in_cur.sum())
                can_look = look <= last[o]
                if doctrine.kind == "shoot-shoot" and size < 2:
                    partner[o] = True
                elif doctrine.kind == "adaptive" and not can_look and size < 2:
                    partner[o] = True
                elif can_look:
                    due[o] = look
                if partner[o]:
                    due[o] = launch[o, k]
        for o in np.argsort(due, kind="stable"):
            if done[o] or not np.isfinite(due[o]):
                continue
            got = _first_shot(win, g_of[o], a_of[o], due[o], res, sites, n_l)
            if got is None:
                done[o] = True
                continue
            k, t_l, t_i = got
            res.take(k, t_l, t_i)
            n = shots[o]
            launch[o, n], inter[o, n] = t_l, t_i
            salvo[o, n] = (salvo[o, n - 1] + (0 if (p > 0 and partner[o]) else 1)) if n > 0 else 0
            shots[o] += 1
        if p > 0:
            done |= ~np.isfinite(due)
    q = 1.0 - pk
    p_kill = 1.0 - q**shots
    expected = np.zeros(n_obj)
    for o in range(n_obj):  # engagement e is fired only if every earlier one missed
        sizes = np.bincount(salvo[o, :shots[o]]) if shots[o] else np.zeros(0, dtype=int)
        miss_before = np.concatenate([[1.0], np.cumprod(q ** sizes)[:-1]]) if sizes.size else np.zeros(0)
        expected[o] = float(np.sum(sizes * miss_before))
    n_w = int(w_of.max()) + 1 if n_obj else 0
    count = np.bincount(w_of, minlength=n_w)
    w_pk = np.bincount(w_of, weights=p_kill, minlength=n_w) / np.maximum(count, 1)
    return RaidResult(w_of, np.asarray(is_decoy, bool), shots, launch, inter, p_kill, expected, engageable,
                      w_pk, np.bincount(w_of, weights=shots, minlength=n_w).astype(int), float(pk),
                      battery.inventory + limits.reload_rounds)


@dataclass(frozen=True)
class RaidObjects:
    """The objects of a raid: trajectory row, launch time, warhead group, decoy flag."""

    traj_index: np.ndarray
    launch_time_s: np.ndarray
    warhead_index: np.ndarray
    is_decoy: np.ndarray

    def first(self, n_warheads: int) -> "RaidObjects":
        keep = self.warhead_index < n_warheads
        return RaidObjects(self.traj_index[keep], self.launch_time_s[keep], self.warhead_index[keep], self.is_decoy[keep])


def raid_objects(traj_index, launch_time_s, decoys_engaged=None) -> RaidObjects:
    """Objects for W warheads (trajectory row and launch time each), each followed by its
    ``decoys_engaged[w]`` indistinguishable objects on the same trajectory."""
    g = np.asarray(traj_index, dtype=int)
    a = np.asarray(launch_time_s, dtype=float)
    d = np.zeros(g.size, dtype=int) if decoys_engaged is None else np.asarray(decoys_engaged, dtype=int)
    reps = 1 + d
    w = np.repeat(np.arange(g.size), reps)
    first = np.concatenate([[0], np.cumsum(reps)[:-1]])
    decoy = np.ones(w.size, dtype=bool)
    decoy[first] = False
    return RaidObjects(np.repeat(g, reps), np.repeat(a, reps), w, decoy)


def run(win: Windows, objects: RaidObjects, battery: Battery, limits: RaidLimits, doctrine: Doctrine,
        pk: float) -> RaidResult:
    return plan(win, objects.traj_index, objects.launch_time_s, objects.warhead_index, objects.is_decoy,
                battery, limits, doctrine, pk)


def saturation_size(win: Windows, objects: RaidObjects, battery: Battery, limits: RaidLimits, doctrine: Doctrine,
                    pk: float) -> int | None:
    """Smallest number of warheads (the raid's first n) at which some engageable object gets
    no interceptor; None if the whole raid is engaged.  Galloping search then bisection
    (saturation is taken as monotone in the raid size for a fixed make-up)."""
    n_all = int(objects.warhead_index.max()) + 1 if objects.warhead_index.size else 0

    def sat(n):
        return run(win, objects.first(n), battery, limits, doctrine, pk).saturated

    if n_all == 0:
        return None
    lo, hi = 0, 1  # galloping search: sat(lo) False, then bisect (cheap when saturation comes early)
    while not sat(hi):
        if hi >= n_all:
            return None
        lo, hi = hi, min(2 * hi, n_all)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if sat(mid):
            hi = mid
        else:
            lo = mid
    return hi
