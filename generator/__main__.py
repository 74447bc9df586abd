"""python -m generator: the command line (generator.cli)."""

import sys


def _run() -> int:
    try:
        from generator.cli import main  # Ctrl-C while the modules load: one line too, never a traceback

        return main(exiting=True)
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(_run())
