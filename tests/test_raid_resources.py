"""The raid planner's incremental resource book-keeping (thaad.raid._Resources) answers
every query exactly as the definition written out naively: sort the launcher's launches,
check each reload's timing, count spare rounds, count intervals in flight."""

import bisect
import math

import numpy as np

from thaad.raid import RaidLimits, _Resources


class _Naive:
    def __init__(self, n_launchers, rounds, lim):
        self.rounds, self.lim = rounds, lim
        self.per = [[] for _ in range(n_launchers)]
        self.all, self.start, self.end = [], [], []

    def check(self, k, tau, t_end):
        times = sorted(self.per[k] + [tau])
        n = self.rounds
        for idx in range(n, len(times), n):
            if times[idx] < times[idx - 1] + self.lim.reload_s:
                return times[idx - 1] + self.lim.reload_s if times[idx] == tau else math.inf
        extra = sum(max(0, len(p) - n) for j, p in enumerate(self.per) if j != k)
        if max(0, len(times) - n) + extra > self.lim.reload_rounds:
            return math.inf
        gap = self.lim.launch_interval_s
        i = bisect.bisect_left(self.all, tau - gap + 1e-9)
        if i < len(self.all) and self.all[i] < tau + gap - 1e-9:
            return self.all[i] + gap
        s, e = np.asarray(self.start), np.asarray(self.end)
        over = (s < t_end) & (e > tau)
        busy = [int(((s[over] <= p) & (e[over] > p)).sum()) for p in [tau, *s[over & (s > tau)]]]
        return float(e[over].min()) if busy and max(busy) >= self.lim.fire_channels else None

    def take(self, k, tau, t_end):
        self.per[k].append(tau)
        bisect.insort(self.all, tau)
        self.start.append(tau)
        self.end.append(t_end)


def test_incremental_resources_match_the_naive_definition():
    rng = np.random.default_rng(7)
    for lim in (RaidLimits(fire_channels=3, launch_interval_s=2.0, reload_s=60.0, reload_rounds=4),
                RaidLimits(fire_channels=99, launch_interval_s=0.0, reload_s=30.0, reload_rounds=0)):
        fast, naive = _Resources(4, 2, lim), _Naive(4, 2, lim)
        taken = 0
        for _ in range(400):
            k = int(rng.integers(4))
            tau = float(np.round(rng.uniform(0.0, 300.0), 1))  # rounded: ties in time occur
            t_end = tau + float(rng.uniform(5.0, 60.0))
            got, want = fast.check(k, tau, t_end), naive.check(k, tau, t_end)
            assert got == want, (k, tau, t_end, got, want)
            if got is None:
                fast.take(k, tau, t_end)
                naive.take(k, tau, t_end)
                taken += 1
        assert taken > 5  # the sequence exercised launches, not only refusals
