"""What a render imports: never scipy, whose signal module costs 0.65 s and 77 MB on every start (the effects and the
supersaw's filters are our own, engine/dsp). A supersaw that filtered with scipy.signal put that on every one-shot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import free_music_ai


def test_playing_and_exporting_a_piece_imports_no_scipy() -> None:
    code = (
        "import sys\n"
        "import free_music_ai.engine.music.produce, free_music_ai.engine.music.stream\n"
        "import free_music_ai.engine.music.sound_design, free_music_ai.engine.music.supersaw\n"
        "import free_music_ai.service.export_job, free_music_ai.service.music_job\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    source = str(Path(free_music_ai.__file__).parents[1])  # this checkout's package, not an installed one
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
