"""Census population data, people under a footprint, and the `thaad raid` command."""

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from thaad import population as POP
from thaad import raid_data
from thaad.cli import cli

SMALL = "tests/data/small_scenario.toml"


def test_census_rows_add_up_to_the_published_2010_totals():
    pop = raid_data.population()
    assert len(pop.name) == 251
    assert pop.total == 47_990_761  # 2010 census, whole country (KOSIS DT_1IN0001)
    seoul = sum(p for p, prov in zip(pop.population, pop.province) if prov == "Seoul")
    assert seoul == 9_631_482
    assert 0.45 < pop.population[pop.seoul_metro].sum() / pop.total < 0.52  # about half live in the capital region
    assert np.all((pop.lat_deg > 33) & (pop.lat_deg < 38.7) & (pop.lon_deg > 124.5) & (pop.lon_deg < 131))


def test_people_take_the_status_of_their_nearest_aim_point():
    cells_lat = np.radians([35.0, 36.0, 37.0])
    cells_lon = np.radians([128.0, 128.0, 128.0])
    idx = POP.nearest_cell(np.radians([35.1, 36.4, 36.6, 40.0]), np.radians([128.2, 127.9, 128.1, 128.0]), cells_lat, cells_lon)
    assert idx.tolist() == [0, 1, 2, 2]
    people = np.array([100.0, 10.0, 1.0, 1000.0])
    assert POP.defended_population(people, idx, np.array([True, False, True])) == 1101.0
    per_sample = np.array([[True, True, True], [False, False, False]])
    assert POP.defended_population(people, idx, per_sample).tolist() == [1111.0, 0.0]


def test_lower_tier_is_the_patriot_positions_with_their_own_interceptor():
    from thaad import catalog

    upper = catalog.battery("seongju")
    low = raid_data.lower_tier(upper)
    assert len(low.launcher_sites) == 5
    assert low.interceptor.max_intercept_alt_m == pytest.approx(40e3)  # Yonhap 30 May 2022
    lat = [math.degrees(s[0]) for s in low.launcher_sites]
    assert all(35.5 < x < 38.0 for x in lat)


def test_cli_raid_json_contract_and_bad_input():
    r = CliRunner().invoke(cli, ["raid", SMALL, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["missiles"] == 4 and len(out["waves"]) == 1
    assert 0 <= out["expected_leakers"] <= 4
    assert out["interceptors_committed"] <= out["inventory"]
    assert {d["decoys_per_warhead"] for d in out["decoy_sweep"]} == {0.0, 2.0}
    leak = [d["expected_leakers"] for d in out["decoy_sweep"]]
    assert leak[1] >= leak[0] - 1e-9  # decoys never help the defence


def test_raid_section_errors_name_the_field(tmp_path):
    from thaad import scenario

    bad = tmp_path / "bad.toml"
    text = open(SMALL, encoding="utf-8").read().replace("count = 4", "count = 0").replace('doctrine', 'x')
    text = text.replace("[raid]\n", '[raid]\ndoctrine = "shoot-and-pray"\n')
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.load(bad)
    joined = "\n".join(err.value.problems)
    assert "raid.waves[0].count" in joined and "raid.doctrine" in joined
