"""The radar range equation: detection range as a function of target radar cross-section.

Two standard forms (SI throughout; ``losses`` and the SNR threshold as power ratios in the
model, dB only at the edge):

* **Dwell (track) form**, energy on target during one coherent dwell of length
  :math:`t_d` at average power :math:`P_{av}` (equivalently :math:`n` pulses of peak power
  :math:`P_t` and width :math:`\\tau`: :math:`P_{av} t_d = n P_t \\tau`):

  .. math:: \\mathrm{SNR} = \\frac{P_{av}\\, t_d\\, G\\, A_e\\, \\sigma}{(4\\pi)^2 R^4 k T_s L},
            \\qquad G = \\frac{4\\pi A_e}{\\lambda^2},\\; A_e = \\eta A

  (Skolnik, *Introduction to Radar Systems*, 3rd ed., eqs. 2.1 and 2.61; the same form as
  Lewis & Postol 2012's TPY-2 estimate with perfect coherent integration).

* **Search form** (power-aperture product): a solid angle :math:`\\Omega` searched once
  every frame time :math:`t_s` by a beam of gain :math:`G`, dwell per beam
  :math:`t_s\\,\\Omega_b/\\Omega` with :math:`\\Omega_b = 4\\pi/G`:

  .. math:: \\mathrm{SNR} = \\frac{P_{av} A_e t_s \\sigma}{4\\pi \\Omega R^4 k T_s L}

  (Skolnik eq. 7.5 / Barton, *Radar Equations for Modern Radar* (2013) eq. 1.6.4).
  Wavelength drops out.

Setting SNR to the detection threshold gives :math:`R \\propto \\sigma^{1/4}` and
:math:`R \\propto P_{av}^{1/4}`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from thaad.errors import InputError, require_range

BOLTZMANN_J_K = 1.380649e-23  # exact, SI 2019
SPEED_OF_LIGHT_M_S = 299_792_458.0  # exact, SI

Form = Literal["dwell", "search"]


def db_to_ratio(db):
    return 10.0 ** (np.asarray(db, dtype=float) / 10.0)


def ratio_to_db(ratio):
    return 10.0 * np.log10(np.asarray(ratio, dtype=float))


def wavelength_m(frequency_hz):
    return SPEED_OF_LIGHT_M_S / np.asarray(frequency_hz, dtype=float)


def antenna_gain(aperture_m2, efficiency, wavelength_m_):
    """Directive gain of an aperture, :math:`G = 4\\pi\\eta A/\\lambda^2` (Skolnik eq. 9.1)."""
    return 4.0 * math.pi * np.asarray(efficiency) * np.asarray(aperture_m2) / np.asarray(wavelength_m_) ** 2


@dataclass(frozen=True)
class RadarEquation:
    """Parameters of the radar range equation (one operating mode of one radar).

    ``form="dwell"`` uses ``dwell_time_s`` (coherent integration time per look);
    ``form="search"`` uses ``search_solid_angle_sr`` and ``frame_time_s``.
    """

    form: Form
    average_power_w: float
    aperture_area_m2: float
    aperture_efficiency: float
    frequency_hz: float
    system_noise_temp_k: float
    losses_db: float
    snr_threshold_db: float
    dwell_time_s: float = 0.1
    search_solid_angle_sr: float = 1.0
    frame_time_s: float = 1.0

    def __post_init__(self):
        if self.form not in ("dwell", "search"):
            raise InputError("form", f"must be 'dwell' or 'search', got {self.form!r}")
        require_range("average_power_w", self.average_power_w, 0, low_open=True)
        require_range("aperture_area_m2", self.aperture_area_m2, 0, low_open=True)
        require_range("aperture_efficiency", self.aperture_efficiency, 0, 1, low_open=True)
        require_range("frequency_hz", self.frequency_hz, 0, low_open=True)
        require_range("system_noise_temp_k", self.system_noise_temp_k, 0, low_open=True)
        require_range("losses_db", self.losses_db, 0)
        require_range("snr_threshold_db", self.snr_threshold_db, -30, 60)
        require_range("dwell_time_s", self.dwell_time_s, 0, low_open=True)
        require_range("search_solid_angle_sr", self.search_solid_angle_sr, 0, 4 * math.pi, low_open=True)
        require_range("frame_time_s", self.frame_time_s, 0, low_open=True)

    @classmethod
    def from_pulses(cls, *, peak_power_w: float, pulse_width_s: float, pulses_integrated: int,
                    prf_hz: float, **kw) -> "RadarEquation":
        """Dwell form from a pulse train: :math:`P_{av} = P_t\\tau f_r`, :math:`t_d = n/f_r`."""
        return cls(form="dwell", average_power_w=peak_power_w * pulse_width_s * prf_hz,
                   dwell_time_s=pulses_integrated / prf_hz, **kw)

    @property
    def wavelength_m(self) -> float:
        return float(wavelength_m(self.frequency_hz))

    @property
    def effective_aperture_m2(self) -> float:
        return self.aperture_area_m2 * self.aperture_efficiency

    @property
    def gain(self) -> float:
        return float(antenna_gain(self.aperture_area_m2, self.aperture_efficiency, self.wavelength_m))

    @property
    def power_aperture_w_m2(self) -> float:
        return self.average_power_w * self.effective_aperture_m2

    def _k_factor(self) -> float:
        """:math:`K` with :math:`\\mathrm{SNR} = K\\sigma/R^4` (units m^2)."""
        noise = BOLTZMANN_J_K * self.system_noise_temp_k * float(db_to_ratio(self.losses_db))
        if self.form == "dwell":
            return (self.average_power_w * self.dwell_time_s * self.gain * self.effective_aperture_m2
                    / ((4 * math.pi) ** 2 * noise))
        return (self.average_power_w * self.effective_aperture_m2 * self.frame_time_s
                / (4 * math.pi * self.search_solid_angle_sr * noise))

    def snr(self, range_m, rcs_m2):
        """Signal-to-noise ratio (power ratio) of a target at ``range_m``."""
        r = np.asarray(range_m, dtype=float)
        return self._k_factor() * np.asarray(rcs_m2, dtype=float) / r**4

    def detection_range_m(self, rcs_m2):
        """Range at which SNR equals the threshold: :math:`R = (K\\sigma/\\mathrm{SNR}_{min})^{1/4}`."""
        rcs = np.asarray(rcs_m2, dtype=float)
        if np.any(~(rcs > 0)):
            raise InputError("rcs_m2", "radar cross-section must be > 0 m^2")
        return (self._k_factor() * rcs / float(db_to_ratio(self.snr_threshold_db))) ** 0.25

    def scaled(self, **changes) -> "RadarEquation":
        return replace(self, **changes)


def search_solid_angle_sr(az_width_rad: float, el_low_rad: float, el_high_rad: float) -> float:
    """Solid angle of an azimuth-elevation sector: :math:`\\Omega = \\Delta\\alpha(\\sin e_2 - \\sin e_1)`."""
    return float(az_width_rad * (math.sin(el_high_rad) - math.sin(el_low_rad)))
