"""`slp serve`: a workshop where everyone answers on their own phone (logic in ``slp_assess.serve``)."""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
from pathlib import Path

import typer

from slp_assess.cli.app import app
from slp_assess.errors import ExitCode, UsageError
from slp_assess.oneline import quoted

INSTALL_HINT = "install with: pip install 'slp-assess[serve]'"
EXTRA_MODULES = ("starlette", "uvicorn", "segno")


def require_extra() -> None:
    """One line naming the install command when the optional web stack is missing (exit 3)."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"slp serve needs {', '.join(missing)}: {INSTALL_HINT}")


def lan_address() -> str:
    """This computer's address on the local network, as phones reach it.

    A UDP socket "connected" to a non-routable test address sends nothing; it only makes the
    kernel choose the outgoing interface, whose address is the one to show.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


@app.command()
def serve(
    questionnaire: str | None = typer.Argument(None, help="Bundled questionnaire id or a questionnaire file; default: slp-quickcheck (on --resume: the folder's)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Folder for the answer files (one per participant) and slp-workshop.json."),
    resume: Path | None = typer.Option(None, "--resume", help="Continue a workshop folder after a restart: people, phones, position and reveals."),
    partnership: str | None = typer.Option(None, "--partnership", help="Name of the partnership; asked for if missing."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", help="de or en; default: the questionnaire's default language."),
    mode: str = typer.Option("moderated", "--mode", help="moderated (the moderator moves the room) or self (everyone at their own pace)."),
    lan: bool = typer.Option(False, "--lan", help="Listen on the local network for phones; without it only this computer can connect."),
    port: int = typer.Option(8765, "--port", help="TCP port (0: any free port)."),
    force: bool = typer.Option(False, "--force", help="Start a new workshop in a folder that holds one."),
) -> None:
    """Serve the questionnaire to phones in the room; every answer is saved at once.

    Keys: n next question · p back · r reveal · e show the result · m switch mode · q quit.
    Exit codes: 0 stopped with q, 130 stopped with Ctrl-C (everything is saved either way), 2 invalid
    folder to resume, 3 usage error (also: the serve extra is not installed), 4 a file cannot be written.
    """
    require_extra()
    import uvicorn
    from rich.console import Console

    from slp_assess.assess import wording
    from slp_assess.assess.invocation import command
    from slp_assess.assess.store import resume_reference
    from slp_assess.i18n import check_language, error_language, message
    from slp_assess.serve.app import create_app
    from slp_assess.serve.pages import qr_text
    from slp_assess.serve.room import Workshop
    from slp_assess.serve.terminal import run_console
    from slp_assess.terminal import plain, print_with_command

    said = error_language(lang)

    def usage(key: str, **values: object) -> UsageError:
        return UsageError(message(key, said, **values)).in_language(said)

    if lang is not None:
        check_language(lang)  # refused as by every other command
    if mode not in ("moderated", "self"):
        raise usage("serve.bad_mode", mode=quoted(mode))
    if resume is not None:
        if out is not None or partnership is not None:
            raise usage("serve.resume_alone")
        workshop = Workshop.resume(resume, lang, questionnaire)
    else:
        if out is None:
            raise usage("serve.out_needed")
        q = wording.questionnaire(questionnaire or "slp-quickcheck", said)
        language = lang or q.default_language
        if language not in q.languages:
            raise usage("assess.no_language", id=quoted(q.id), wanted=quoted(language), languages=", ".join(q.languages))
        if not partnership:
            if not sys.stdin.isatty():
                raise usage("serve.partnership_needed")
            partnership = typer.prompt(message("assess.prompt.partnership", language)).strip() or "–"
        workshop = Workshop.create(q, out, partnership, language, "self" if mode == "self" else "moderated", force)
    language = workshop.state.language
    folder = workshop.folder
    console = Console(highlight=False)
    try:
        host = "0.0.0.0" if lan else "127.0.0.1"  # noqa: S104 - the LAN only when asked for
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((host, port))
        except OSError as exc:
            raise UsageError(message("serve.cannot_listen", language, host=host, port=port, reason=exc.strerror)).in_language(language) from None
        # Listening before the URL is shown: a phone that is quicker than uvicorn's start waits in the backlog.
        listener.listen(128)
        shown_host = lan_address() if lan else "127.0.0.1"
        bound = listener.getsockname()[1]
        join_url = f"http://{shown_host}:{bound}/w/{workshop.room.join_token}/"
        presenter_url = f"http://{shown_host}:{bound}/p/{workshop.room.presenter_token}/"
        console.print(qr_text(join_url), end="", highlight=False, markup=False)
        console.print(plain(message("serve.listening", language, url=join_url), "bold"))
        console.print(plain(message("serve.presenter_url", language, url=presenter_url)))
        if not lan:
            console.print(plain(message("serve.loopback", language), "yellow"))
        def report(line: str) -> None:  # above the live view, which rich keeps drawing below
            console.print(plain(line, "bold red"))

        config = uvicorn.Config(create_app(workshop, report=report), log_level="warning", access_log=False, proxy_headers=False,
                                server_header=False, lifespan="off")
        server = uvicorn.Server(config)
        stopped = threading.Event()

        def stop() -> None:
            server.should_exit = True

        view = threading.Thread(target=run_console, args=(workshop, console, stop, stopped), name="slp-serve-view", daemon=True)
        view.start()
        interrupted = False
        try:
            server.run(sockets=[listener])
        except KeyboardInterrupt:  # uvicorn shuts down cleanly, then passes Ctrl-C on
            interrupted = True
        finally:
            stopped.set()
            view.join(timeout=2)
    finally:
        workshop.close()
    console.print(plain(message("serve.stopped", language, path=folder)))
    # As for `slp assess`: an earlier bundled version or a questionnaire of one's own is named, or --resume fails.
    named = resume_reference(workshop.state.questionnaire, questionnaire)
    again = command("serve", *([named] if named else []), "--resume", folder)
    print_with_command(console, message("serve.resume", language, command=again), again)
    if interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)
