"""The fork pool's workers and the heap they inherit (l10n.project.pool)."""

from __future__ import annotations

import gc

from l10n.project.pool import in_parallel


def _frozen_objects(context: object, item: int) -> int:
    return gc.get_freeze_count()


def test_workers_inherit_the_heap_frozen_and_the_parent_gets_it_back() -> None:
    # A worker's collections must not touch what it inherited (each object examined
    # makes its page the worker's own copy); the parent's objects are collectable again after.
    assert gc.get_freeze_count() == 0
    results = list(in_parallel(_frozen_objects, None, range(6), 6, 2, None))
    assert [item for item, _ in results] == list(range(6))
    assert all(count > 0 for _, count in results)
    assert gc.get_freeze_count() == 0
