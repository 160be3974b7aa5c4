"""The dashboards bench: which PostgreSQL it uses, and that it says so when there is none.

The bench itself (3 years of data, a couple of minutes) runs in `make bench`, not here.
"""

from cordee.logistics import bench_dashboards as bench


def test_the_bench_database_sits_on_the_configured_postgresql_server(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://cordee:secret@db.internal:5433/cordee?sslmode=require"
    )
    assert (
        bench._bench_url()
        == "postgres://cordee:secret@db.internal:5433/cordee_bench?sslmode=require"
    )


def test_without_a_postgresql_url_the_local_server_is_tried(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/cordee.sqlite3")
    assert bench._bench_url() == "postgres://postgres@127.0.0.1:5432/cordee_bench"
    monkeypatch.delenv("DATABASE_URL")
    assert bench._bench_url() == "postgres://postgres@127.0.0.1:5432/cordee_bench"


def test_no_server_answering_is_said_plainly_and_skipped(monkeypatch):
    monkeypatch.setattr(bench, "DEFAULT_SERVER", "postgres://postgres@127.0.0.1:1/")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    lines = list(bench.bench_dashboards())
    assert len(lines) == 1
    assert lines[0].startswith("dashboards: PostgreSQL not reachable at 127.0.0.1:1")
    assert lines[0].endswith("skipped (set DATABASE_URL to a PostgreSQL server to run it)")
