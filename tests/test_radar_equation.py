"""Radar range equation: closed-form scaling and internal consistency."""

import math

import numpy as np
import pytest

from thaad import catalog
from thaad.errors import InputError
from thaad.radar.equation import BOLTZMANN_J_K, RadarEquation, antenna_gain, db_to_ratio
from radar_helpers import simple_equation

KM = 1e3


@pytest.mark.parametrize("form", ["dwell", "search"])
def test_detection_range_scales_as_fourth_root_of_rcs_and_power(form):
    eq = simple_equation(form=form, search_solid_angle_sr=0.2, frame_time_s=3.0)
    r1 = eq.detection_range_m(0.01)
    assert eq.detection_range_m(0.16) == pytest.approx(2 * r1, rel=1e-12)  # 16x RCS -> 2x range
    assert eq.detection_range_m(0.01 * 10) == pytest.approx(r1 * 10**0.25, rel=1e-12)
    assert eq.scaled(average_power_w=16 * eq.average_power_w).detection_range_m(0.01) == pytest.approx(2 * r1, rel=1e-12)
    # R^4 law over many decades, vectorised
    rcs = np.logspace(-4, 2, 13)
    np.testing.assert_allclose(eq.detection_range_m(rcs) / r1, (rcs / 0.01) ** 0.25, rtol=1e-12)


def test_dwell_form_matches_hand_evaluation_of_skolnik_equation():
    eq = simple_equation()
    lam = 299_792_458.0 / 9.5e9
    ae = 0.8 * 9.2
    g = 4 * math.pi * ae / lam**2
    r4 = 67e3 * 0.1 * g * ae * 0.1 / ((4 * math.pi) ** 2 * BOLTZMANN_J_K * 500 * 10**0.6 * 10**1.32)
    assert eq.detection_range_m(0.1) == pytest.approx(r4**0.25, rel=1e-12)
    assert 10 * math.log10(eq.gain) == pytest.approx(49.68, abs=0.01)  # 9.2 m^2 at 9.5 GHz, eta 0.8
    # SNR at the detection range equals the threshold
    assert eq.snr(eq.detection_range_m(0.1), 0.1) == pytest.approx(float(db_to_ratio(13.2)), rel=1e-12)


def test_search_form_is_wavelength_free_and_scales_with_frame_time_over_solid_angle():
    eq = simple_equation(form="search", search_solid_angle_sr=0.2, frame_time_s=3.0)
    assert eq.scaled(frequency_hz=3e9).detection_range_m(1.0) == pytest.approx(eq.detection_range_m(1.0), rel=1e-12)
    assert eq.scaled(frame_time_s=48.0).detection_range_m(1.0) == pytest.approx(2 * eq.detection_range_m(1.0), rel=1e-12)
    assert eq.scaled(search_solid_angle_sr=0.2 / 16).detection_range_m(1.0) == pytest.approx(2 * eq.detection_range_m(1.0), rel=1e-12)


def test_pulse_train_equals_dwell_with_same_energy():
    kw = dict(aperture_area_m2=9.2, aperture_efficiency=0.8, frequency_hz=9.5e9, system_noise_temp_k=500,
              losses_db=6, snr_threshold_db=13.2)
    pulses = RadarEquation.from_pulses(peak_power_w=335e3, pulse_width_s=1e-3, pulses_integrated=20, prf_hz=200, **kw)
    dwell = RadarEquation(form="dwell", average_power_w=335e3 * 1e-3 * 200, dwell_time_s=0.1, **kw)
    assert pulses.detection_range_m(0.01) == pytest.approx(dwell.detection_range_m(0.01), rel=1e-12)
    assert antenna_gain(9.2, 0.8, 0.03) == pytest.approx(4 * math.pi * 7.36 / 0.0009)


def test_rcs_must_be_positive():
    with pytest.raises(InputError, match="rcs"):
        simple_equation().detection_range_m(0.0)
    with pytest.raises(InputError, match="aperture_efficiency"):
        simple_equation(aperture_efficiency=1.5)


@pytest.mark.parametrize("mode", ["terminal", "forward-based"])
def test_catalogue_modes_reproduce_reported_range_at_reference_rcs(mode):
    spec = catalog.find_radar("tpy2")
    m = spec.mode[mode]
    eq = catalog.radar_equation("tpy2", mode, "nominal")
    # calibration: nominal parameters give the reported range at the assumed reference RCS (2 %)
    assert eq.detection_range_m(m.reference_rcs_m2.nominal) == pytest.approx(m.reported_range_km.nominal * KM, rel=0.02)
    lo, nom, hi = (catalog.radar_equation("tpy2", mode, lvl).detection_range_m(0.03) for lvl in ("low", "nominal", "high"))
    assert lo < nom < hi
    # same hardware in both modes
    assert eq.average_power_w == pytest.approx(25344 * spec.hardware["module_average_power_w"].nominal)


def test_catalogue_sources_and_unknown_names():
    for spec in catalog.radars().values():
        for q in [*spec.hardware.values(), *spec.face.values()]:
            assert len(q.source) > 10
    assert set(catalog.rcs_presets()) >= {"warhead", "booster"}
    with pytest.raises(InputError, match="mode"):
        catalog.radar_equation("tpy2", "bogus")
    with pytest.raises(InputError, match="radar"):
        catalog.find_radar("SPY-1")
