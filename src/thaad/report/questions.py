"""The questions of the assessment: one module each, ``qN(ctx) -> Section``."""

from __future__ import annotations

from thaad.report.model import Section
from thaad.report.q1_coverage import q1_coverage
from thaad.report.q2_shield import q2_shield
from thaad.report.q3_footprints import q3_footprints
from thaad.report.q4_homeland import q4_homeland


def q5_tracking(ctx) -> Section:
    from thaad.report.q5_tracking import q5_tracking as q5

    return q5(ctx)


QUESTIONS = {"q1": q1_coverage, "q2": q2_shield, "q3": q3_footprints, "q4": q4_homeland, "q5": q5_tracking}
