"""``extract`` and ``build`` on Dask (``--scheduler``): real scheduler and worker processes.

A module fixture starts ``dask scheduler`` and two ``dask worker`` processes (one thread
each) on 127.0.0.1; every project written through them, or through ``--scheduler local``,
must equal byte for byte the same project run by one process (``--jobs 1``), store
included, also when a worker is killed in the middle of a build. The quick tests at the
top need no cluster: configuration, errors, and the default path importing no Dask.
"""

from __future__ import annotations

import importlib.util
import json
import operator
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from l10n.config import config_from
from l10n.errors import ConfigError
from l10n.project import stamp

from .archive import make_archive
from .conftest import REPO, copy_sample, invoke

ARTICLES = 200
LOCALES = ("fr", "fa")  # memory in both; one right to left


# --------------------------------------------------------------------------- quick


@pytest.mark.parametrize("value", ["local", "tcp://10.0.0.5:8786", "tls://scheduler.example.org:8786"])
def test_scheduler_setting_accepts_local_and_addresses(value: str) -> None:
    assert config_from({"scheduler": value}, "pyproject.toml").scheduler == value


@pytest.mark.parametrize("value", ["nonsense", "10.0.0.5:8786", 8786, ""])
def test_scheduler_setting_refuses_anything_else_in_one_line(value: object) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from({"scheduler": value}, "pyproject.toml")
    message = str(caught.value)
    assert message.startswith("pyproject.toml: 'scheduler' must be \"local\" or a Dask scheduler address")
    assert "\n" not in message


def test_a_bad_scheduler_option_is_one_line_and_exit_1(sample_project: Path) -> None:
    result = invoke(sample_project, "build", "--scheduler", "nowhere")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        '--scheduler must be "local" or a Dask scheduler address such as "tcp://host:8786", not \'nowhere\''
    ]
    assert not (sample_project / "site").exists()


def test_without_dask_a_scheduler_is_one_line_naming_the_extra(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    result = invoke(sample_project, "extract", "--scheduler", "local")
    assert result.exit_code == 1
    assert result.output.strip() == "--scheduler needs Dask's distributed package: pip install 'l10n-news[dask]'"


def test_the_default_path_imports_nothing_of_dask(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    script = (
        "import sys\nfrom typer.testing import CliRunner\nfrom l10n.cli import app\n"
        f"for command in ('extract', 'build'):\n"
        f"    result = CliRunner().invoke(app, ['-C', {str(root)!r}, command, '--jobs', '2', '--force'])\n"
        "    assert result.exit_code == 0, result.output\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(), check=True)
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------------- helpers


def _env() -> dict[str, str]:
    """This tree first on the path: the workers must run the l10n under test. Not the
    run's time: it travels with the jobs' context (the parent stamps the run)."""
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    return {**env, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dask(*args: str) -> list[str]:
    """The ``dask`` command of this interpreter's environment (``dask scheduler``, ...)."""
    command = Path(sys.executable).with_name("dask")
    if command.exists():
        return [str(command), *args]
    module = {"scheduler": "distributed.cli.dask_scheduler", "worker": "distributed.cli.dask_worker"}[args[0]]
    return [sys.executable, "-m", module, *args[1:]]


def _tree(root: Path) -> dict[str, bytes]:
    """Every file of a project but the run store and the lock, by path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".l10n-cache" not in path.parts and path.name != ".l10n.lock"
    }


def _store(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The run store's rows, table by table, sorted (what the next run will know); not the
    table of file hashes, whose rows hold absolute paths and file times, nor the build's
    stamp (a hash of the same, :mod:`l10n.project.stamp`). A page's record
    (the translations it was made with) is compared as translations: its JSON follows the
    order of a set of strings, which differs between processes (hash randomisation), as it
    does between two runs of one process."""
    with sqlite3.connect(root / ".l10n-cache" / "state.sqlite3") as db:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'files' ORDER BY name"
        tables = {name: list(db.execute(f"SELECT * FROM {name}")) for (name,) in list(db.execute(query))}
    records = [(slug, tag, json.loads(zlib.decompress(data))) for slug, tag, data in tables.pop("records", [])]
    tables["entries"] = [row for row in tables.get("entries", []) if row[1] != stamp.COMMAND]
    return {**{name: sorted(rows, key=repr) for name, rows in tables.items()}, "records": sorted(records, key=repr)}


def _assert_same(root: Path, reference: Path) -> None:
    got, want = _tree(root), _tree(reference)
    assert sorted(got) == sorted(want)
    differing = [path for path in want if got[path] != want[path]]
    assert differing == []
    assert _store(root) == _store(reference)


def _run(root: Path, *args: str) -> str:
    result = invoke(root, *args)
    assert result.exit_code == 0, result.output
    return result.output


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", autouse=True)
def same_time() -> Iterator[None]:
    """Every run of the module stamps its catalogues with one time, as the reference's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1446541920")
        yield


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated archive, as it is before any run (copied for each run)."""
    return make_archive(tmp_path_factory.mktemp("archive") / "project", ARTICLES, LOCALES)


@pytest.fixture(scope="module")
def reference(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The archive extracted, and then built, by one process: (after extract, after build)."""
    extracted = tmp_path_factory.mktemp("reference") / "extracted"
    shutil.copytree(archive, extracted)
    _run(extracted, "extract", "--jobs", "1")
    built = extracted.with_name("built")
    shutil.copytree(extracted, built)
    _run(built, "build", "--jobs", "1")
    return extracted, built


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A real Dask scheduler and two workers (processes, one thread each) on 127.0.0.1."""
    distributed = pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    options = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": _env()}
    port = address.rsplit(":", 1)[1]
    started = [subprocess.Popen(_dask("scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"), **options)]  # type: ignore[call-overload]
    worker = ("worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1")
    # As the README starts them: without Dask's profiler, which grows a worker's memory with time.
    options["env"] = {**_env(), "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
    started += [subprocess.Popen(_dask(*worker), **options) for _ in range(2)]  # type: ignore[call-overload]
    try:
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            process.send_signal(signal.SIGTERM)
        for process in reversed(started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --------------------------------------------------------------------------- slow: real processes


@pytest.mark.slow
def test_the_cluster_runs_jobs_in_order_with_progress_and_few_in_flight(scheduler: str) -> None:
    import distributed

    from l10n.project.cluster import Cluster

    taken: list[int] = []

    def items() -> Iterator[int]:
        for number in range(200):
            taken.append(number)
            yield number

    calls: list[tuple[int, int]] = []
    with distributed.Client(scheduler) as client:
        results = Cluster(lambda: client)(
            operator.mul, 3, items(), 200, 2, lambda done, total: calls.append((done, total))
        )
        first = next(results)
        # 2 workers: 4 batches of 16 at most in flight, not the 200 items
        assert len(taken) <= 4 * 16
        rest = list(results)
    assert [first, *rest] == [(number, 3 * number) for number in range(200)]
    assert calls == [(done, 200) for done in range(1, 201)]


@pytest.mark.slow
def test_extract_and_build_on_a_scheduler_equal_one_process(
    scheduler: str, archive: Path, reference: tuple[Path, Path], tmp_path: Path
) -> None:
    root = shutil.copytree(archive, tmp_path / "project")
    said = _run(root, "extract", "--scheduler", scheduler, "-v")
    assert said.count("Dask dashboard: ") == 1  # -v: said once
    bokeh = importlib.util.find_spec("bokeh") is not None
    assert ("Dask dashboard: http://" in said) == bokeh, said  # an address only where a page is served
    _assert_same(root, reference[0])
    said = _run(root, "build", "--scheduler", scheduler)
    assert "Dask dashboard" not in said  # not a terminal, no -v
    assert "profile" not in said  # the workers were started without the profiler
    _assert_same(root, reference[1])


@pytest.mark.slow
def test_a_worker_killed_in_a_build_loses_nothing(scheduler: str, reference: tuple[Path, Path], tmp_path: Path) -> None:
    import distributed

    root = shutil.copytree(reference[0], tmp_path / "project")
    with distributed.Client(scheduler) as client:
        pids = client.run(os.getpid)
        victim = sorted(pids)[0]
        killed = threading.Event()

        def kill_when_busy() -> None:
            # Once the victim is running a task of the build (two or more pages done), kill it.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                busy = client.processing(workers=[victim]).get(victim)
                if busy and len(list((root / "site").rglob("*.html"))) > 10:
                    os.kill(pids[victim], signal.SIGKILL)
                    killed.set()
                    return
                time.sleep(0.02)

        killer = threading.Thread(target=kill_when_busy)
        killer.start()
        _run(root, "build", "--scheduler", scheduler)
        killer.join()
        assert killed.is_set(), "the build ended before a worker could be killed"
        client.wait_for_workers(2, timeout=60)  # the nanny starts it again, for the next tests
    _assert_same(root, reference[1])


@pytest.mark.slow
def test_extract_and_build_on_a_local_cluster_equal_one_process(
    archive: Path, reference: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])  # the LocalCluster's workers are new processes
    root = shutil.copytree(archive, tmp_path / "project")
    config = root / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'scheduler = "local"\n', encoding="utf-8")
    _run(root, "extract", "--jobs", "2")
    _run(root, "build", "--jobs", "2", "--scheduler", "local")
    config.write_text(config.read_text(encoding="utf-8").replace('scheduler = "local"\n', ""), encoding="utf-8")
    _assert_same(root, reference[1])


def _record(project: Any, slug: str) -> dict[str, str] | None:
    from l10n.project.store import read_record

    return read_record(project, slug, "fr")


def test_a_worker_reads_records_of_the_store_as_it_is_at_each_pass(sample_project: Path) -> None:
    """A Dask worker outlives a run: a store made anew since its last pass (.l10n-cache
    deleted) must not be read through the connection it kept to the old file."""
    from l10n.project import open_project
    from l10n.project.cluster import _batch
    from l10n.project.store import Store, pack

    project = open_project(sample_project)
    slug = "2015/11/calais-migrant-camp.html"
    for translations in ({"Hello": "Bonjour"}, {"Hello": "Salut"}):
        shutil.rmtree(sample_project / ".l10n-cache", ignore_errors=True)
        with Store.open(project) as store:
            store.put_record(slug, "fr", pack(translations))
        # A pass of its own each time (the scattered context's key), as a run gives
        assert _batch(_record, project, [slug], f"pass {translations['Hello']}") == [translations]


def test_a_rebuild_after_a_catalogue_changed_is_handed_to_the_workers(sample_project: Path) -> None:
    """A rebuild whose pages are all in site/ but whose catalogues (or --force) make them
    all again must go to the workers (a cluster's whole point), not run here because the
    pages' locales are already known."""
    from l10n import project
    from l10n.project.pool import in_parallel

    proj = project.open_project(sample_project)
    asked: list[int] = []

    def runner(job: Any, context: Any, items: Any, total: int, jobs: int, progress: Any) -> Iterator[Any]:
        asked.append(jobs)
        return in_parallel(job, context, items, total, 1, progress)

    def build(force: bool = False) -> list[int]:
        asked.clear()
        project.build(proj, [], None, lambda error: None, jobs=4, force=force, runner=runner)
        return asked[:1]

    assert build() == [4]  # the first build: nothing known
    assert build() == []  # nothing changed: the build's stamp says so, no job runs
    next((sample_project / "site" / "fr").rglob("*.html")).unlink()
    assert build() == [1]  # one page to make again, every coverage known: cheaper here
    assert build(force=True) == [4]
    for catalogue in sorted((sample_project / "locales" / "fr").rglob("*.po")):
        text = catalogue.read_text(encoding="utf-8")
        catalogue.write_text(text.replace('"Language: fr\\n"', '"Language: fr\\n"\n"X-Touched: yes\\n"'), "utf-8")
    assert build() == [4]  # every article's French catalogue changed


@pytest.mark.slow  # the client tries the absent scheduler for its 10 s timeout
def test_a_cluster_is_reached_only_when_a_run_has_work_for_it(sample_project: Path) -> None:
    """A build with nothing to do never starts or reaches a cluster (a LocalCluster takes
    seconds to start); one with work says in one line that the scheduler is not there."""
    pytest.importorskip("distributed")
    assert invoke(sample_project, "build").exit_code == 0
    nowhere = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    result = invoke(sample_project, "build", "--scheduler", nowhere)
    assert result.exit_code == 0, result.output
    result = invoke(sample_project, "build", "--force", "--scheduler", nowhere, "--jobs", "2")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(f"cannot reach the Dask scheduler at {nowhere}")


def _profiling(dask_worker: Any) -> bool:
    return "profile" in dask_worker.periodic_callbacks


@pytest.mark.slow
def test_a_local_cluster_s_workers_do_not_profile_their_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dask's statistical profiler keeps a call tree a second for up to 1,000 seconds: a
    # worker's memory then grew with the length of the run (about 1 MiB a build of 400
    # articles), and its sampling thread takes the interpreter every 10 ms.
    pytest.importorskip("distributed")
    from contextlib import ExitStack

    from l10n.project.cluster import _open

    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])
    with ExitStack() as closing:
        client = _open("local", 2, tmp_path, None, closing)
        assert client.run(_profiling) and not any(client.run(_profiling).values())


@pytest.mark.slow
def test_workers_that_profile_their_tasks_are_named_in_a_warning(tmp_path: Path) -> None:
    # A cluster this run did not start may have Dask's profiler on (its default): each
    # worker's memory then grows with the length of the run. The run goes on, and says how
    # to start the workers.
    distributed = pytest.importorskip("distributed")
    from l10n.project.cluster import _check_workers

    warned: list[str] = []
    cluster = distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0")
    with cluster, distributed.Client(cluster) as client:
        profiling = client.run(_profiling)
        assert list(profiling.values()) == [True]
        _check_workers(client, tmp_path, warned.append)
    (warning,) = warned
    assert warning.startswith(f"warning: Dask's profiler is on in worker {next(iter(profiling))}: ")
    assert "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False" in warning


@pytest.mark.slow
def test_workers_started_without_the_profiler_get_no_warning(scheduler: str, tmp_path: Path) -> None:
    import distributed

    from l10n.project.cluster import _check_workers

    warned: list[str] = []
    with distributed.Client(scheduler) as client:
        _check_workers(client, tmp_path, warned.append)
    assert warned == []


@pytest.mark.slow
def test_a_build_on_workers_that_profile_says_so_and_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])  # the workers run the l10n under test
    root = copy_sample(tmp_path)
    # Reached by address, as a cluster started elsewhere would be, with Dask's default
    # configuration: the profiler on.
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    with cluster:
        said = _run(root, "build", "--scheduler", cluster.scheduler_address, "--jobs", "2")
    assert said.count("warning: Dask's profiler is on in workers tcp://") == 1, said
    assert (root / "site" / "fr" / "2015" / "11" / "calais-migrant-camp.html").is_file()
