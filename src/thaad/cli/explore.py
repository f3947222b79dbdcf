"""CLI command: ``thaad explore`` (the what-if map in the browser)."""

from __future__ import annotations

from pathlib import Path

import click

from thaad import scenario as scenario_mod

EXIT_INPUT = 2


@click.command("explore")
@click.argument("scenario_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep the default: the app has no login and is meant for this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the address.")
def explore_command(scenario_file, host, port, no_browser):
    """Open a what-if map in the browser: move the radar, turn it, screen sectors, watch coverage change.

    \b
    Starts a local web app (nothing is fetched from the network; map data ships with thaad)
    on SCENARIO_FILE (default: the built-in Seongju scenario). "Save as scenario" downloads
    the current state as a scenario file for `thaad assess`. Ctrl-C stops the server.

    \b
    Examples:
      thaad explore
      thaad explore my.toml --port 8800 --no-browser
    """
    from thaad.cli.assess import _fail

    try:
        base = scenario_mod.load(scenario_file)
    except scenario_mod.ScenarioError as err:
        _fail(err, EXIT_INPUT)
    from thaad.explore import create_app
    from thaad.explore.server import bind, is_loopback, serve

    sock = bind(host, port)
    if not is_loopback(host):
        click.echo(f"thaad: warning: listening on {host}, not the loopback address: anyone who can reach this "
                   "machine can use the app", err=True)
    name = str(scenario_file) if scenario_file else f"built-in:{scenario_mod.BUILTIN}"
    app = create_app(base, name)

    def ready(url):
        click.echo(f"thaad explore: serving {name} at {url} (Ctrl-C to stop)", err=False)

    try:
        serve(app, sock, open_browser=not no_browser, on_ready=ready)
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled, after a clean shutdown
        pass
    finally:
        sock.close()
    click.echo("thaad explore: stopped", err=True)
    return 0


COMMANDS = [explore_command]
