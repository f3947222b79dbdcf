"""Which module defines each ``thaad`` command, and its one-line summary for ``thaad --help``.

Commands are imported only when run (``thaad --help`` must start in well under a second,
and the physics modules pull in SciPy). To add a command: define it in a module's
``COMMANDS`` list as before and add one line here; ``tests/test_cli_manners.py`` checks
that this table and the modules agree.
"""

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module, summary)
    "assess": ("thaad.cli.assess", "Write the assessment report (HTML, JSON, figures, GIS layers) for a scenario."),
    "scenario": ("thaad.cli.assess", "Print (or write with --out) a commented scenario file to start from."),
    "explore": ("thaad.cli.explore", "Open a what-if map in the browser: move and turn the radar, watch coverage change."),
    "trajectory": ("thaad.cli.trajectory", "Fly one ballistic trajectory: a catalogue missile or a burnout state."),
    "missiles": ("thaad.cli.common", "List the missile catalogue with public sources; NAME for one missile in full."),
    "places": ("thaad.cli.common", "List the reference places (sites, cities, launch areas) with their sources."),
    "visibility": ("thaad.cli.radar", "Line of sight from a point to a target over the refracting (k-factor) Earth."),
    "radar-range": ("thaad.cli.radar", "Detection range from the radar equation for a target RCS, with its band."),
    "coverage": ("thaad.cli.radar", "Lowest detectable altitude above every cell of a grid around the radar."),
    "detect": ("thaad.cli.radar", "First radar detection along a missile trajectory."),
    "network": ("thaad.cli.network", "One flight watched by several radars: per radar and object, who sees what when."),
    "engage": ("thaad.cli.engagement", "Engagement timeline of one threat: detection, launches, shots, P(kill)."),
    "footprint": ("thaad.cli.engagement", "Ground the battery defends against a missile from a launch point, with its band."),
    "raid": ("thaad.cli.raid", "Evaluate the scenario's raid: per wave leakers, saturation size, decoys per warhead."),
    "sweep": ("thaad.cli.sweep", "Run a sensitivity sweep: which assumption moves which answer (Dask, cached)."),
    "batteries": ("thaad.cli.engagement", "List the battery configurations and interceptors with their public sources."),
}
