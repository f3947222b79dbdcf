"""``thaad raid``: the scenario's raid against its battery (inventory, launch rate, fire
channels, doctrine, decoys as a stated count)."""

from __future__ import annotations

from pathlib import Path

import click

from thaad import scenario as scenario_mod
from thaad.cli.assess import _fail
from thaad.cli.common import emit_json
from thaad.errors import InputError

EXIT_INPUT = 2


@click.command("raid")
@click.argument("scenario_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--level", type=click.Choice(["low", "nominal", "high"]), default="nominal", show_default=True,
              help="Catalogue estimate level for the missiles, the battery and its raid limits.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def raid_command(scenario_file, level, as_json):
    """Evaluate the scenario's [raid] (default: the built-in Seongju scenario).

    Per wave: missiles, interceptors committed and expected, mean P(kill) and expected
    leakers; the raid size at which the battery saturates (some object gets no interceptor)
    by raid make-up; and the expected leakers as decoys per warhead grow.

    \b
    Examples:
      thaad raid
      thaad raid my.toml --level low --json
    """
    from thaad import raid_assess

    try:
        sc = scenario_mod.load(scenario_file)
    except scenario_mod.ScenarioError as err:
        _fail(err, EXIT_INPUT)
    if sc.raid is None:
        raise InputError("raid", "the scenario has no [raid] section (see `thaad scenario --template`)")
    out = raid_assess.evaluate(sc, level)
    if as_json:
        emit_json(out)
        return
    click.echo(f"Raid of {out['missiles']} missiles ({out['objects']} objects with decoys) against {sc.engagement.battery}: "
               f"{out['doctrine']}, Pk {out['pk']:g}, inventory {out['inventory']}, {out['fire_channels']} fire channels, "
               f"{out['launch_interval_s']:g} s between launches ({level} estimates)")
    click.echo(f"{'wave':<22}{'missiles':>9}{'engageable':>11}{'committed':>10}{'expected':>9}{'mean Pk':>8}{'leakers':>8}")
    for w in out["waves"]:
        click.echo(f"{w['name']:<22}{w['missiles']:>9}{w['engageable']:>11}{w['interceptors_committed']:>10}"
                   f"{w['interceptors_expected']:>9.1f}{w['mean_p_kill']:>8.2f}{w['expected_leakers']:>8.1f}")
    click.echo(f"raid: interceptors committed {out['interceptors_committed']}, expected used {out['interceptors_expected']:.1f}, "
               f"expected leakers {out['expected_leakers']:.1f}" + (" (saturated)" if out["saturated"] else ""))
    for s in out["saturation"]:
        size = s["saturation_size"]
        click.echo(f"saturation, {s['make_up']}, {s['decoys_per_warhead']:g} decoys per warhead: "
                   + (f"{size} missiles" if size else f"not reached up to {s['tried_up_to']}"))
    for d in out["decoy_sweep"]:
        click.echo(f"decoys per warhead {d['decoys_per_warhead']:g}: expected leakers {d['expected_leakers']:.1f}, "
                   f"{d['unengaged_objects']} of {d['objects']} objects unengaged")


COMMANDS = [raid_command]
