# The two commands of the README: `make serve` and `make test`.
# Each sets itself up on a fresh Debian or Ubuntu machine that has python3 (3.11+), make and apt.
#
# make serve options (all optional):
#   HOST=0.0.0.0                 serve the room's network, not only this machine
#   PORT=8866                    the port
#   PROJECTOR=1 | PROJECTOR=dark every page in projector mode: large type, high contrast
#   ROOM_CODE=abc123             every address needs ?token=abc123 once (printed in the banner)
#   TRAINER_PASSPHRASE=...       opens the trainer's view (workbooks/trainer/); never printed
#   PREHEAT=0                    start every kernel on request (default: one kept ready for
#                                the start page and the network workbook)
#   DEFAULT_LANG=sq              the language of a page whose address has no ?lang=
#                                (en, sr-Latn, sq or mk; default en)
#
# make messages: after changing a participant-facing text, extract the catalog template
# widgets/locale/casebook.pot and merge it into each language's .po file (CONTRIBUTING.md).

PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8866
PROJECTOR ?=
ROOM_CODE ?=
PREHEAT ?= 1
DEFAULT_LANG ?= $(CASEBOOK_LANG)
# Also taken from the environment variable CASEBOOK_TRAINER_PASSPHRASE.
TRAINER_PASSPHRASE ?= $(CASEBOOK_TRAINER_PASSPHRASE)
BIN    := $(VENV)/bin
# Root runs apt-get directly; anyone else goes through sudo.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test install install-test chromium lint clean messages catalogs

# Translations: the .po files are written by translators; the .mo files are built from them.
LOCALES  := $(wildcard widgets/locale/*/LC_MESSAGES/casebook.po)
CATALOGS := $(LOCALES:.po=.mo)
PYBABEL_EXTRACT := $(BIN)/pybabel -q extract -F babel.cfg -k N_ -k _ -k ngettext:1,2 \
  --add-location=file --sort-output --width=100 --project=Casebook --copyright-holder=Casebook

# The passphrase goes to Voila (and its kernels) through the environment, not the command line.
serve: export CASEBOOK_TRAINER_PASSPHRASE := $(TRAINER_PASSPHRASE)
serve: export CASEBOOK_ROOM_CODE := $(ROOM_CODE)
serve: export CASEBOOK_LANG := $(DEFAULT_LANG)
serve: $(VENV)/.installed catalogs
	@$(BIN)/python -m widgets.serve --host $(HOST) --port $(PORT) \
	  $(if $(filter-out 0 no off,$(PROJECTOR)),--projector=$(if $(filter dark,$(PROJECTOR)),dark,light)) \
	  $(if $(filter 0 no off,$(PREHEAT)),--no-preheat)

test: $(VENV)/.installed-test chromium catalogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Casebook needs Python 3.11 or newer"'
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 cannot create a virtual environment: installing python3-venv with apt"; \
	  rm -rf $(VENV); \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

# Debian's Chromium: Playwright's own browser download does not work on a closed network.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  echo "Installing Chromium from the distribution's packages"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

catalogs: $(CATALOGS)

widgets/locale/%/LC_MESSAGES/casebook.mo: widgets/locale/%/LC_MESSAGES/casebook.po $(VENV)/.installed
	@$(BIN)/pybabel -q compile -D casebook -i $< -o $@

messages: $(VENV)/.installed
	$(PYBABEL_EXTRACT) -o widgets/locale/casebook.pot .
	$(BIN)/pybabel update -i widgets/locale/casebook.pot -d widgets/locale -D casebook \
	  --no-fuzzy-matching --width=100 --ignore-obsolete

lint: $(VENV)/.installed-test
	$(BIN)/ruff check widgets tests benchmarks

clean:
	rm -rf $(VENV) test-artifacts build *.egg-info
