"""Question 5, part 3: public claims set beside the model's numbers.

Each claim of ``data/claims.toml`` maps to one model quantity (``maps_to``); the function
of that name below turns the model numbers ``m`` (computed by the rest of question 5 and,
where present, questions 1 and 3) into ``(model value, verdict, holds if)``.  Verdicts say
where each side is right and under which assumptions; none is decided by a threshold the
claim does not state.
"""

from __future__ import annotations

from thaad import network_catalog as nc
from thaad.report.model import Table


def _pct(x):
    return f"{100 * x:.0f} %"


def china_area_fraction(m):
    fb, fw = m["cn_fraction_fbm_booster"], m["cn_fraction_fbm_warhead"]
    best = m["cn_fraction_fbm_booster_best"]
    value = f"booster-sized: {_pct(fb)} of China (best boresight {_pct(best)}); warhead-sized: {_pct(fw)}"
    verdict = ("overstated" if best < 0.35 else "partly supported") + (
        ": even a booster over most of China is below the horizon or outside the 120 deg face; "
        "'monitoring range' holds only for the eastern provinces")
    return value, verdict, "forward-based mode, any altitude counts as seen, smooth Earth; the whole of China's area"


def farthest_booster_km(m):
    d = m["cn_farthest_fbm_booster_km"]
    value = f"a booster-sized object is detectable over China up to {d:,.0f} km from Seongju"
    verdict = "supported in forward-based mode" if d > 1500 else "not supported"
    return value, verdict + " (far beyond North Korea); in terminal mode much less", "forward-based mode, booster-sized target at high altitude"


def fbm_range_reference_km(m):
    lo, nom, hi = m["fbm_range_ref_km"]
    value = f"{nom:,.0f} km ({lo:,.0f}-{hi:,.0f}) for 0.1 m^2"
    verdict = "consistent: 2,000 km is inside the band" if lo <= 2000 <= hi else "outside the model band"
    return value, verdict + "; the model is calibrated to NAS's ~1,500 km, so this is a check of the band, not an independent test", \
        "free-space radar equation; the reported ranges do not state a target size"


def terminal_range_warhead_km(m):
    lo, nom, hi = m["terminal_range_warhead_km"]
    ref = m["terminal_range_ref_km"]
    value = f"warhead-sized: {nom:,.0f} km ({lo:,.0f}-{hi:,.0f}); 0.1 m^2: {ref:,.0f} km"
    return value, "consistent by construction (calibrated to 600 km at 0.1 m^2); for a real warhead nose-on the range is shorter", \
        "search form of the radar equation, terminal mode's low fence"


def lowest_alt_beijing_km(m):
    b, d = m["terminal_booster_floor_beijing_km"], m["terminal_booster_floor_dalian_km"]
    fmt = lambda x: "never" if x is None else f"{x:,.0f} km"  # noqa: E731
    value = f"terminal mode, booster-sized: above Beijing from {fmt(b)}, above Dalian from {fmt(d)} altitude up"
    verdict = ("partly right: the 5 deg floor and the Earth's curvature hide anything low (aircraft, the boost phase "
               "near the ground) over China, but ballistic missiles climb far higher than these floors")
    return value, verdict, "smooth Earth, 5 deg minimum elevation as stated by MND; the site's height barely matters at these ranges"


def defended_fraction(m):
    f = m.get("q3_share")
    if f is None:
        return "not computed (question 3 not in this scenario)", "not checked", "-"
    lo, hi = min(f.values()), max(f.values())
    value = f"{_pct(lo)}-{_pct(hi)} of South Korea's land, by threat ({', '.join(f'{k}: {_pct(v)}' for k, v in f.items())})"
    verdict = "supported" if lo >= 0.45 and hi <= 0.9 else "partly supported"
    return value, verdict + " for the modelled threats; the share depends strongly on the missile and launch area", \
        "question 3: aim points over South Korean land, nominal estimates, one battery"


def terminal_icbm_warhead_tracks(m):
    n, tot, mx = m["terminal_icbm_tracks"], m["n_icbm"], m["terminal_icbm_max_track_s"]
    value = f"terminal mode tracks the warhead on {n} of {tot} ICBM flights (longest {mx:,.0f} s)"
    verdict = ("supported for terminal mode" if n == 0 else "partly supported") + \
        "; in forward-based mode the answer changes (see the Seongju table)"
    return value, verdict, "terminal mode (the battery's fire-control configuration), warhead RCS by aspect"


def fbm_first_vs_alaska_s(m):
    leads = m["lead_over_alaska_s"]
    if not leads:
        return "no ICBM flight seen by both", "not checked", "-"
    value = f"forward-based Seongju sees the warhead {min(leads):,.0f}-{max(leads):,.0f} s before Cobra Dane / Clear"
    verdict = ("supported: Seongju would be first by many minutes" if min(leads) > 60 else "partly supported") + \
        " - if it runs in forward-based mode, which takes hours to set up and is not the battery's stated configuration"
    return value, verdict, "forward-based mode, boresight as in the scenario, warhead RCS by aspect, ICBM flights toward the US"


def fbm_margin_over_japan_s(m):
    ex = m["exclusive_over_japan_s"]
    if not ex:
        return "no flight", "not checked", "-"
    value = f"track time Seongju adds beyond Shariki and Kyogamisaki: {min(ex):,.0f}-{max(ex):,.0f} s per flight"
    verdict = ("supported: little gain" if max(ex) < 60 else
               "not supported for some flights: Seongju sees parts of the early flight the Japanese radars cannot")
    return value, verdict, "forward-based mode for all three radars, warhead RCS by aspect, nominal boresights (estimates)"


def fbm_warhead_tracks(m):
    n, tot = m["fbm_warhead_tracks"], m["n_flights"]
    value = f"forward-based Seongju tracks the warhead on {n} of {tot} flights"
    verdict = "supported" if n > 0 else "not supported"
    return value, verdict + " (for 'some' warheads); in terminal mode: " + f"{m['terminal_warhead_tracks']} of {tot}", \
        "forward-based mode, warhead RCS by aspect"


def east_west_test_tail_aspect(m):
    t = m.get("east_west")
    if not t:
        return "no east-to-west flight in this scenario", "not checked", "-"
    if t["track_s"] in (None, 0):
        return "the warhead is not tracked on the modelled test flight", "not supported for this flight", "-"
    value = (f"warhead first seen at aspect {t['aspect_deg']:.0f} deg (180 = tail-on), tracked {t['track_s']:,.0f} s")
    verdict = "supported: the radar sees the warhead from behind" if t["aspect_deg"] > 120 else "partly supported: seen side-on"
    return value, verdict, "forward-based mode, the scenario's illustrative east-to-west flight"


def fbm_range_warhead_km(m):
    lo, nom, hi = m["fbm_range_warhead_km"]
    value = f"warhead-sized: {nom:,.0f} km ({lo:,.0f}-{hi:,.0f})"
    verdict = "supported for detection" if nom > 1000 else "overstated"
    return value, verdict + "; the model does not compute discrimination, which needs a longer look", \
        "forward-based dwell, isotropic warhead-sized target"


def japan_icbm_tracks(m):
    n, tot = m["japan_icbm_tracks"], m["n_icbm"]
    return (f"Shariki or Kyogamisaki tracks the warhead on {n} of {tot} Chinese ICBM flights",
            "supported" if n > 0 else "not supported for Chinese ICBMs (the Japanese radars face North Korea)",
            "nominal (estimated) boresights of the Japanese radars, warhead RCS by aspect")


VERDICTS = {f.__name__: f for f in (china_area_fraction, farthest_booster_km, fbm_range_reference_km, terminal_range_warhead_km,
                                    lowest_alt_beijing_km, defended_fraction, terminal_icbm_warhead_tracks, fbm_first_vs_alaska_s,
                                    fbm_margin_over_japan_s, fbm_warhead_tracks, east_west_test_tail_aspect, fbm_range_warhead_km,
                                    japan_icbm_tracks)}


def claims_table(m) -> tuple[Table, list[dict]]:
    rows, out = [], []
    for c in nc.claims().values():
        fn = VERDICTS.get(c.maps_to)
        try:
            value, verdict, holds = fn(m) if fn else ("not computed", "not checked", "-")
        except (KeyError, ValueError, TypeError):
            value, verdict, holds = "not computed in this scenario", "not checked", "-"
        words = f"\u201c{c.text}\u201d" if c.quote else f"{c.text} (paraphrase)"
        rows.append([c.who, c.where, words, c.side, value, verdict, f"{c.conditions}; {holds}"])
        out.append({"key": c.key, "who": c.who, "where": c.where, "text": c.text, "quote": c.quote, "side": c.side,
                    "maps_to": c.maps_to, "model_value": value, "verdict": verdict, "holds_if": f"{c.conditions}; {holds}"})
    return Table("q5-claims", "Public claims beside the model: who said it and where, the model's number under the stated "
                 "conditions, and the verdict", ["who", "where", "claim", "side", "model", "verdict", "conditions"], rows), out
