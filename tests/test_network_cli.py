"""`thaad network`: contract, per-radar timeline, bad input (in-process via main)."""

import json

import pytest

from thaad.cli import main


def run(capsys, *args):
    with pytest.raises(SystemExit) as e:
        main(list(args))
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def test_network_json_timeline_for_a_short_flight(capsys):
    code, out, err = run(capsys, "network", "--missile", "kn-23", "--from", "sakkanmol", "--to", "daegu",
                         "--radars", "seongju,kyogamisaki", "--mode", "terminal", "--objects", "warhead",
                         "--sample-s", "1", "--json")
    assert code == 0, err
    d = json.loads(out)
    rows = {r["radar"]: r for r in d["timeline"]}
    assert set(rows) == {"seongju", "kyogamisaki"}
    s = rows["seongju"]
    assert s["detected"] and 0 < s["first_t_s"] < d["flight"]["flight_time_s"]
    assert s["warning_s"] == pytest.approx(d["flight"]["flight_time_s"] - s["first_t_s"], abs=0.2)
    assert s["elevation_at_first_deg"] >= 5.0 - 0.05 and 0 <= s["aspect_at_first_deg"] <= 180
    assert "warhead" in d["seongju_adds"]


@pytest.mark.parametrize("args, field", [
    (("--radars", "seongju,sharki"), "did you mean 'shariki'"),
    (("--objects", "decoy"), "objects"),
    (("--level", "best"), "level"),
])
def test_network_bad_input_exits_2(capsys, args, field):
    code, out, err = run(capsys, "network", "--missile", "df-41", "--from", "ordos", "--to", "seattle", *args)
    assert code == 2
    assert field in err and "Traceback" not in err
