"""Jobs on a Dask cluster: :func:`.pool.in_parallel`'s contract, with workers that may be
on other machines (``--scheduler``).

A :class:`Runner` is what ``extract`` and ``build`` call to run one job per article:
:func:`.pool.in_parallel` (forked workers, the default) or a :class:`Cluster`, which
:func:`connect` gives (connected when a run first has work for workers). Either yields
``(item, outcome)`` in the items' order, with at most a few batches in flight, and this
process applies the outcomes in that order: the files written and translation memory
are the same whatever the number of workers.

Data travels by a shared file system: every worker sees the project at the same absolute
path (checked when connecting). Workers read articles, templates and catalogues, and the
build's workers write pages (atomically, one file a task: a retried task writes the same
bytes); this process alone writes catalogues and templates, holds the lock and writes
the run store. The job's context (``_ExtractRun``, ``BuildRun``) is pickled and scattered
once a pass to every worker; items and outcomes are pickled, as the fork pool's are.
Dask is imported only here, and only when a cluster is asked for.
"""

from __future__ import annotations

import importlib.util
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .. import __version__
from ..errors import L10nError
from . import store
from .pool import in_batches, in_parallel
from .summary import Progress

if TYPE_CHECKING:
    from distributed import Client, Future

Item = TypeVar("Item")

DASK_MISSING = "--scheduler needs Dask's distributed package: pip install 'l10n-news[dask]'"


class ClusterError(L10nError):
    """The cluster asked for cannot be used: Dask missing, no scheduler there, or workers
    that cannot run this project's jobs."""


class Runner(Protocol):
    """How a command runs one job per item: :func:`.pool.in_parallel`'s signature."""

    def __call__(
        self,
        job: Callable[[Any, Item], Any],
        context: Any,
        items: Iterable[Item],
        total: int,
        jobs: int,
        progress: Progress | None,
    ) -> Iterator[tuple[Item, Any]]: ...


class Cluster:
    """Runs jobs on the workers of a Dask client, which *connect* gives the first time a
    run has work for them (a build with nothing to do never starts or reaches a cluster)."""

    def __init__(self, connect: Callable[[], Client]) -> None:
        self._connect = connect
        self._client: Client | None = None

    def _connected(self) -> Client:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def __call__(
        self,
        job: Callable[[Any, Item], Any],
        context: Any,
        items: Iterable[Item],
        total: int,
        jobs: int,
        progress: Progress | None,
    ) -> Iterator[tuple[Item, Any]]:
        """As :func:`.pool.in_parallel`; *jobs* 1 (or fewer than two items) still runs here,
        as a build with (nearly) nothing to do asks: shipping it would cost more."""
        if jobs <= 1 or total < 2:
            yield from in_parallel(job, context, items, total, 1, progress)
            return
        client = self._connected()
        width = max(1, sum(client.nthreads().values()))
        batches = in_batches(items, total, width)
        # Once a pass, not once a task: BuildRun holds the locales of every article.
        shared = client.scatter(context, broadcast=True, hash=False)
        flying: deque[tuple[list[Item], Future[list[Any]]]] = deque()
        done = 0
        try:
            while True:
                # Bounded: neither items nor results pile up (memory flat in archive size).
                while len(flying) < 2 * width and (batch := next(batches, None)) is not None:
                    flying.append((batch, client.submit(_batch, job, shared, batch, shared.key, pure=False)))
                if not flying:
                    break
                batch, future = flying.popleft()
                outcomes = _result(future, len(batch))
                future.release()
                for item, outcome in zip(batch, outcomes, strict=True):
                    done += 1
                    yield item, outcome
                    if progress:
                        progress(done, total)
        finally:
            for _, future in flying:  # an error, or the caller stopped early
                future.cancel()
            shared.release()


def _result(future: Future[list[Any]], size: int) -> list[Any]:
    """A batch's outcomes; ClusterError when the workers running it kept dying (Dask
    retries a task on another worker up to ``distributed.scheduler.allowed-failures``)."""
    from distributed import KilledWorker

    try:
        outcomes: list[Any] = future.result()
    except KilledWorker as exc:
        raise ClusterError(
            f"Dask workers died running a batch of {size} articles, too many times ({exc.args[0]}): see the"
            " workers' logs; the files written so far are whole, run the command again"
        ) from None
    return outcomes


def _batch(job: Callable[[Any, Any], Any], context: Any, items: list[Any], run: str) -> list[Any]:
    """One task: the jobs of a few items, on a worker (a pure function of its inputs but
    for the pages a build writes, which a retry writes again with the same bytes). *run*
    names the pass: a worker outlives runs, and reads the store afresh in each."""
    if _PASS[0] != run:
        store.close_readers()
        _PASS[0] = run
    return [job(context, item) for item in items]


_PASS = [""]  # the pass this worker last ran a batch of


def _version() -> str:
    return __version__


@contextmanager
def connect(
    scheduler: str,
    workers: int,
    root: Path,
    announce: Callable[[str], None] | None,
    warn: Callable[[str], None] = lambda line: None,
) -> Iterator[Cluster]:
    """A cluster for one command: *scheduler* "local" starts a LocalCluster of *workers*
    processes (one thread each) here; an address connects to a running scheduler. Both
    only when the command first has work for workers (a build with nothing to do never
    starts one). The dashboard's address goes to *announce*, a warning about the workers
    to *warn*. ClusterError when Dask is missing (at once), the scheduler cannot be
    reached, or a worker runs another l10n or cannot see *root*."""
    try:
        import distributed  # noqa: F401 - said at once when missing, not when work comes
    except ImportError:
        raise ClusterError(DASK_MISSING) from None
    with ExitStack() as closing:
        yield Cluster(lambda: _open(scheduler, workers, root, announce, closing, warn))


def _open(
    scheduler: str,
    workers: int,
    root: Path,
    announce: Callable[[str], None] | None,
    closing: ExitStack,
    warn: Callable[[str], None] = lambda line: None,
) -> Client:
    """Start or reach the cluster, check its workers; *closing* closes it when the command ends."""
    import dask
    import distributed

    try:
        if scheduler == "local":
            # Without Dask's statistical profiler: it keeps a call tree a second for up to
            # 1,000 seconds, so a worker's memory grew with the length of the run (about
            # 1 MiB a build of 400 articles), and it samples every thread every 10 ms.
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: another run may hold 8787
                    silence_logs=logging.ERROR,
                )
            closing.callback(cluster.close)
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    closing.callback(client.close)  # first closed: the client before its LocalCluster
    _check_workers(client, root, warn)
    if announce is not None:
        announce(_dashboard(client))
    return client


def _dashboard(client: Client) -> str:
    """The line that says where the dashboard is: Dask gives an address whether or not
    the scheduler can serve the page (it needs bokeh)."""
    if client.run_on_scheduler(_has_bokeh):
        return f"Dask dashboard: {client.dashboard_link}"
    return "Dask dashboard: not served (the scheduler needs bokeh: pip install bokeh)"


def _has_bokeh() -> bool:
    return importlib.util.find_spec("bokeh") is not None


def _check_workers(client: Client, root: Path, warn: Callable[[str], None]) -> None:
    """Every worker connected now runs this l10n and sees the project at *root*; those
    that profile their tasks are named to *warn*."""
    try:
        versions = client.run(_version)
        sees = client.run(Path.is_dir, root)
    except Exception as exc:  # the worker's own error, unpickled: e.g. no module named l10n
        raise ClusterError(f"a Dask worker cannot run l10n's jobs ({exc}): install l10n-news on every worker") from None
    for address, version in sorted(versions.items()):
        if version != __version__:
            raise ClusterError(f"Dask worker {address} runs l10n {version}, this is {__version__}: install the same")
    for address, seen in sorted(sees.items()):
        if not seen:
            raise ClusterError(
                f"Dask worker {address} does not see {root}: workers must share the project's file system"
                " at the same path"
            )
    profiling = sorted(address for address, on in client.run(_profiles).items() if on)
    if profiling:
        warn(
            f"warning: Dask's profiler is on in worker{'s' if len(profiling) > 1 else ''} {', '.join(profiling)}:"
            " a worker's memory then grows with the length of the run (about 1 MiB a build of 400"
            " articles); start workers with DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False"
        )


def _profiles(dask_worker: Any) -> bool:
    """Whether this worker runs Dask's statistical profiler (``distributed.worker.profile``)."""
    return "profile" in dask_worker.periodic_callbacks
