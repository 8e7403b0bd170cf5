# Two commands do all the set-up on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
endif
STAMP := $(VENV)/.installed-dev
# Python writes each module's bytecode once, where an environment says not to (PYTHONDONTWRITEBYTECODE, as some
# sandboxes and CI images set): the suite starts some hundreds of Python processes (CLI runs, batch pools, Dask
# workers, MCP and web servers), each of which compiled the package, and pytest rewrote every test module's asserts
# in each worker, again and again (15 % of the wall time of the CLI, launch and wheel tests)
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test check-fast lint typecheck check install clean bench bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet --no-compile -e ".[dev,cluster]"
	# pip compiles every installed module to bytecode on one core (32 s of a fresh install's 60 s on two cores);
	# compileall does the same on all of them (19 s), so a fresh clone's tests start sooner (a file it cannot
	# compile is one pip would have skipped as well)
	-$(BIN)/python -m compileall -q -j 0 "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" > /dev/null
	# tinysoundfont is only the tests' independent reference synthesizer. It declares pyaudio as a hard
	# dependency (no wheels for Linux or macOS) that rendering to memory never uses: install it without.
	-$(BIN)/python -m pip install --quiet --no-deps tinysoundfont
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/free-music-ai demo
	@echo "Next: $(BIN)/free-music-ai web --open   (the page: drop a video in, download it with music)"

lint: $(STAMP)
	$(BIN)/ruff check server tests tools bundle
	$(BIN)/ruff format --check server tests tools bundle

typecheck: $(STAMP)
	$(BIN)/mypy

# every test, spread over the cores (a file's tests stay on one worker: they share its fixtures and files); the
# slowest are listed at the end, so a suite creeping towards CI's 10 minutes shows where
# librosa, which the music tests hear with, compiles its numba kernels the first time it is imported: 16-18 s of
# one core, once per install, which a test worker would otherwise spend while the other waits on its files. They
# compile beside lint and typecheck (one core between them, about as long), and the kernels are cached on disk.
LIBROSA_KERNELS := librosa.core.pitch, librosa.core.audio, librosa.core.constantq, librosa.util.utils

test: $(STAMP)
	$(BIN)/python -c "import $(LIBROSA_KERNELS)" & compiling=$$!; \
	$(MAKE) --no-print-directory lint typecheck; checked=$$?; wait $$compiling; exit $$checked
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=15

# the inner loop: lint, types and every test that encodes no media (conftest.py says which are slow), on all cores
check-fast: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q -m "not slow" -n auto

check: test

# The MCP Bundle for Claude Desktop: dist/free-music-ai.mcpb, validated and packed by npm's official mcpb CLI
# (needs Node.js: npx). README, "One click into Claude Desktop".
bundle: $(STAMP)
	$(BIN)/python tools/build_bundle.py --out dist/free-music-ai.mcpb --work build/bundle

bench: $(STAMP)
	$(BIN)/python tools/bench_render.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
