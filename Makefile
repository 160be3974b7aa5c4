# Cordée — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
BENCH_DATA ?= ../shared/bench-data
export BENCH_DATA

.PHONY: demo test lint format serve worker bench install messages update-translations clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(PY) manage.py compile_translations

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_load
	@echo
	@echo "Cordée démo — http://127.0.0.1:8000  (Ctrl+C pour arrêter)"
	@echo "Connexions de démonstration :"
	@$(PY) manage.py demo_logins
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver 127.0.0.1:8000

worker: install
	$(PY) manage.py db_worker

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy cordee config

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) manage.py bench

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static

# Refresh the .po catalogues after changing UI text (needs GNU gettext: apt-get install gettext).
update-translations: $(STAMP)
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=var --ignore=test-artifacts --add-location=file
