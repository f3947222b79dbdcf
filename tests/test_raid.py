"""Raid allocation: the timeline and the resources bound the answer; doctrine closed forms."""

import math

import numpy as np
import pytest
from synthetic import kepler_arcs, simple_detection

from thaad.engagement import Battery, engage
from thaad.errors import InputError
from thaad.raid import Doctrine, RaidLimits, Windows, credible_decoys, raid_objects, run, saturation_size, windows

SEONGJU = (36.0513, 128.2229)
SECOND = 1.0


def battery(n_launchers=6, per_launcher=8, **kw) -> Battery:
    lat, lon = (math.radians(a) for a in SEONGJU)
    kw = {"firm_track_s": 0.0, "decision_s": 0.0, "launch_s": 0.0, "kill_assessment_s": 10.0, **kw}
    return Battery("test", lat, lon, 680.0, ((lat, lon, 680.0),), n_launchers=n_launchers,
                   interceptors_per_launcher=per_launcher, **kw)


def box_windows(open_s=100.0, close_s=130.0, tof_s=60.0, n=1, horizon_s=400.0) -> Windows:
    """A threat that can be intercepted by interceptors launched in [open_s, close_s], each
    flying ``tof_s``: launch time L_j = t_j - tof on those samples, none elsewhere."""
    t = np.arange(0.0, horizon_s, 1.0)
    lreq = np.where((t - tof_s >= open_s) & (t - tof_s <= close_s), t - tof_s, -np.inf)
    lmax = np.maximum.accumulate(lreq)
    return Windows(np.tile(t, (n, 1)), np.tile(lmax, (n, 1, 1)), np.zeros(n), np.full(n, horizon_s))


def salvo(n, decoys=None):
    return raid_objects(np.zeros(n, dtype=int), np.zeros(n), decoys)


def test_salvo_larger_than_the_fire_channels_cannot_all_be_engaged_before_impact():
    # 30 s to launch, 60 s of flight each: a channel guides one interceptor in the window,
    # so C channels engage C threats, whatever the inventory and launchers.
    win = box_windows(open_s=100.0, close_s=130.0, tof_s=60.0)
    for channels in (1, 4, 7):
        r = run(win, salvo(20), battery(), RaidLimits(fire_channels=channels, launch_interval_s=0.0),
                Doctrine("shoot-look-shoot", 1), pk=0.9)
        assert int((r.shots > 0).sum()) == channels
        assert r.unengaged == 20 - channels and r.saturated
        assert r.expected_leakers == pytest.approx(20 - 0.9 * channels, abs=1e-9)
        assert np.nanmax(r.launch_s) <= 130.0 + 1e-9  # nothing fired after the window closes


def test_launch_rate_bounds_the_shots_in_a_window():
    win = box_windows(open_s=100.0, close_s=130.0, tof_s=60.0)
    r = run(win, salvo(20), battery(), RaidLimits(fire_channels=99, launch_interval_s=5.0),
            Doctrine("shoot-look-shoot", 1), pk=0.9)
    assert r.interceptors_committed == 30 // 5 + 1  # launches at 100, 105, ..., 130
    t = np.sort(r.launch_s[np.isfinite(r.launch_s)])
    assert np.all(np.diff(t) >= 5.0 - 1e-9)


def test_inventory_of_n_cannot_kill_more_than_n():
    win = box_windows(open_s=0.0, close_s=1000.0, tof_s=60.0, horizon_s=1500.0)
    b = battery(n_launchers=3, per_launcher=2)  # 6 interceptors, no reloads
    r = run(win, salvo(10), b, RaidLimits(fire_channels=99, launch_interval_s=0.0, reload_rounds=0),
            Doctrine("shoot-look-shoot", 2), pk=1.0)
    assert r.interceptors_committed == 6
    assert r.object_p_kill.sum() == pytest.approx(6.0)
    assert r.expected_leakers == pytest.approx(4.0)
    # reloads arrive only where the timeline allows: 30 min after a launcher empties
    short = run(win, salvo(10), b, RaidLimits(fire_channels=99, launch_interval_s=0.0, reload_rounds=6, reload_s=1800.0),
                Doctrine("shoot-look-shoot", 1), pk=1.0)
    assert short.interceptors_committed == 6
    long = run(win, salvo(10), b, RaidLimits(fire_channels=99, launch_interval_s=0.0, reload_rounds=6, reload_s=300.0),
               Doctrine("shoot-look-shoot", 1), pk=1.0)
    assert long.interceptors_committed == 10


@pytest.mark.parametrize("pk", [0.5, 0.8, 0.9])
def test_shoot_look_shoot_and_shoot_shoot_give_the_closed_form_kill_probabilities(pk):
    b = battery()
    lim = RaidLimits(fire_channels=99, launch_interval_s=1.0)
    wide = box_windows(open_s=100.0, close_s=400.0, tof_s=60.0, horizon_s=800.0)  # room for a look
    sls = run(wide, salvo(1), b, lim, Doctrine("shoot-look-shoot", 2), pk)
    assert sls.shots[0] == 2
    assert sls.warhead_p_kill[0] == pytest.approx(1 - (1 - pk) ** 2, abs=1e-12)
    assert sls.interceptors_expected == pytest.approx(1 + (1 - pk), abs=1e-12)
    assert sls.launch_s[0, 1] >= sls.intercept_s[0, 0] + b.relook_s - 1e-9  # look before the second shot
    ss = run(wide, salvo(1), b, lim, Doctrine("shoot-shoot", 2), pk)
    assert ss.warhead_p_kill[0] == pytest.approx(1 - (1 - pk) ** 2, abs=1e-12)
    assert ss.interceptors_expected == pytest.approx(2.0, abs=1e-12)
    assert ss.launch_s[0, 1] - ss.launch_s[0, 0] == pytest.approx(1.0)  # fired together (launch interval)
    # time short: no look fits (window 20 s < 60 s flight + 10 s assessment)
    short = box_windows(open_s=100.0, close_s=120.0, tof_s=60.0)
    one = run(short, salvo(1), b, lim, Doctrine("shoot-look-shoot", 2), pk)
    assert one.shots[0] == 1 and one.warhead_p_kill[0] == pytest.approx(pk)
    ad = run(short, salvo(1), b, lim, Doctrine("adaptive", 2), pk)
    assert ad.shots[0] == 2 and ad.warhead_p_kill[0] == pytest.approx(1 - (1 - pk) ** 2)
    assert ad.interceptors_expected == pytest.approx(2.0)
    ad_wide = run(wide, salvo(1), b, lim, Doctrine("adaptive", 2), pk)
    assert ad_wide.interceptors_expected == pytest.approx(1 + (1 - pk))


def test_first_shots_come_before_second_shots_in_a_raid():
    win = box_windows(open_s=0.0, close_s=1000.0, tof_s=60.0, horizon_s=1500.0)
    b = battery(n_launchers=1, per_launcher=8)
    r = run(win, salvo(6), b, RaidLimits(fire_channels=99, launch_interval_s=0.0), Doctrine("shoot-look-shoot", 2), 0.9)
    assert np.all(r.shots >= 1) and r.interceptors_committed == 8


def test_decoys_are_a_count_that_takes_interceptors_from_warheads():
    assert credible_decoys(10, 2, 0.5).sum() == 10
    assert credible_decoys(10, 3, 0.25).tolist().count(1) == 8  # 7.5 -> 8 objects spread over 10
    assert credible_decoys(4, 0, 0.9).sum() == 0
    with pytest.raises(InputError):
        credible_decoys(4, 1, 1.5)
    win = box_windows(open_s=100.0, close_s=130.0, tof_s=60.0)
    lim = RaidLimits(fire_channels=8, launch_interval_s=0.0)
    clean = run(win, salvo(4), battery(), lim, Doctrine("shoot-look-shoot", 1), 0.9)
    fooled = run(win, salvo(4, decoys=[3, 3, 3, 3]), battery(), lim, Doctrine("shoot-look-shoot", 1), 0.9)
    assert clean.expected_leakers == pytest.approx(4 * 0.1)
    # 16 indistinguishable objects, 8 channels: each warhead is shot at with probability 1/2
    assert fooled.expected_leakers == pytest.approx(4 * (1 - 0.9 * 0.5))


def test_windows_from_trajectories_agree_with_the_single_threat_engagement():
    la, lo = [38.57, 39.17, 40.03], [126.30, 127.48, 128.17]
    ts = kepler_arcs(la, lo, [35.87, 35.18, 36.35], [128.60, 129.08, 127.38])
    det = simple_detection(ts, *SEONGJU)
    b = battery(firm_track_s=10.0, decision_s=10.0, launch_s=5.0)
    eng = engage(ts, det, b)
    win = windows(ts, det, b)
    r = run(win, raid_objects(np.arange(3), np.zeros(3)), b, RaidLimits(fire_channels=99, launch_interval_s=0.0),
            Doctrine("shoot-look-shoot", 1), 0.9)
    ok = eng.shot_opportunities > 0
    assert ok.any()
    assert np.array_equal(r.shots > 0, ok)
    assert np.allclose(r.intercept_s[ok, 0], eng.shot_intercept_time_s[ok, 0], atol=1e-6 * SECOND)
    assert np.allclose(r.launch_s[ok, 0], eng.shot_launch_time_s[ok, 0], atol=1e-6 * SECOND)
    # a salvo of the same missiles launched 20 s apart: same windows, shifted in time
    sh = run(win, raid_objects(np.zeros(3, dtype=int), [0.0, 20.0, 40.0]), b,
             RaidLimits(fire_channels=99, launch_interval_s=0.0), Doctrine("shoot-look-shoot", 1), 0.9)
    if ok[0]:
        assert np.allclose(np.diff(sh.intercept_s[:, 0]), 20.0)


def test_saturation_size_is_the_fire_channels_for_a_short_window():
    win = box_windows(open_s=100.0, close_s=130.0, tof_s=60.0)
    n = saturation_size(win, salvo(30), battery(), RaidLimits(fire_channels=5, launch_interval_s=0.0),
                        Doctrine("shoot-look-shoot", 1), 0.9)
    assert n == 6
    assert saturation_size(win, salvo(3), battery(), RaidLimits(fire_channels=5, launch_interval_s=0.0),
                           Doctrine("shoot-look-shoot", 1), 0.9) is None


def test_bad_raid_parameters_name_the_field():
    with pytest.raises(InputError, match="raid.fire_channels"):
        RaidLimits(fire_channels=0)
    with pytest.raises(InputError, match="raid.doctrine"):
        Doctrine("shoot-and-pray")
