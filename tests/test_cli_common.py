"""CLI plumbing: exit codes, point parsing, places."""

import json
import subprocess
import sys

import pytest

from thaad.cli.common import parse_point
from thaad.errors import InputError


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "thaad", *args], capture_output=True, text=True, timeout=120)


def test_parse_point_numbers_and_places():
    assert parse_point("36.05,128.22", "from").lat_deg == 36.05
    assert parse_point("seongju", "site").alt_m == 680.0
    assert parse_point("Los Angeles", "to").lon_deg == pytest.approx(-118.2437)
    with pytest.raises(InputError, match="latitude"):
        parse_point("95,10", "from")
    with pytest.raises(InputError, match="unknown place"):
        parse_point("Atlantis", "to")


def test_places_json_lists_sources():
    r = run_cli("places", "--json")
    assert r.returncode == 0
    places = json.loads(r.stdout)["places"]
    assert all(p["source"] and "estimate" in p for p in places)
    assert {"seongju", "beijing", "pyongyang"} <= {p["key"] for p in places}


def test_unknown_command_exits_2_without_traceback():
    r = run_cli("no-such-command")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
