"""A whole-graph export written a block at a time: the store's nodes and edges cut into blocks
of positions, each block rendered to bytes, the bytes yielded in order; by this process or by
several.

The workers are forked from the exporting process, so they share its store (the arrays and the
mapped attribute pages) without copying or pickling it; only a block's bounds go to a worker and
only its bytes come back. At most ``AHEAD * jobs + 1`` blocks are rendered or waiting at any
time, so memory stays flat however slowly the bytes are taken. Where ``fork`` is not offered the
export is written by one process (:func:`can_fork`).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from graph.compact.store import GraphStore

BLOCK = 1024  # nodes or edges a worker renders at a time (a few MB at most)
AHEAD = 8  # blocks asked for ahead of the one written, per worker: enough to keep them busy


@dataclass(frozen=True, slots=True)
class Block:
    """The nodes (or, with ``edges``, the edges) at positions ``lo`` to ``hi`` of a store."""

    edges: bool
    lo: int
    hi: int


Render = Callable[[GraphStore, Block], bytes]

# Set once in each worker process, by _start (the fork gives the worker the store); the
# exporting process itself never sets it.
_worker: dict[str, Any] = {}


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def blocks_of(store: GraphStore, size: int = BLOCK) -> list[Block]:
    """Every node, then every edge, in blocks of ``size`` positions.

    >>> from graph.compact.graph import CompactGraph
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:A", "Condition:x", key="STUDIES", kind="STUDIES")
    >>> blocks_of(CompactGraph.from_networkx(g).store, size=1)
    [Block(edges=False, lo=0, hi=1), Block(edges=False, lo=1, hi=2), Block(edges=True, lo=0, hi=1)]
    """
    return [
        Block(edges, lo, min(lo + size, count))
        for edges, count in ((False, store.node_count), (True, store.edge_count))
        for lo in range(0, count, size)
    ]


def rendered_blocks(store: GraphStore, render: Render, jobs: int, size: int = BLOCK) -> Iterator[bytes]:
    """``render(store, block)`` of every block of :func:`blocks_of`, in order: by ``jobs``
    forked workers (:func:`rendered_in_parallel`), or by this process for one job or where
    ``fork`` is not offered."""
    if jobs > 1 and can_fork():
        return rendered_in_parallel(store, render, jobs, size)
    return (render(store, block) for block in blocks_of(store, size))


def rendered_in_parallel(store: GraphStore, render: Render, jobs: int, size: int = BLOCK) -> Iterator[bytes]:
    """``render(store, block)`` of every block of :func:`blocks_of`, by ``jobs`` forked workers,
    in order. An error in a worker is raised here; closing the iterator stops the workers.

    The workers are stopped by letting them finish the block in hand (a few milliseconds), never
    killed: ``multiprocessing.Pool.terminate`` kills them, and one killed while writing its
    result leaves the result queue's lock held, where the pool's own shutdown then waits forever.
    """
    context = multiprocessing.get_context("fork")
    workers = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=(store, render))
    try:
        pending: deque[Future[bytes]] = deque()
        for block in blocks_of(store, size):
            pending.append(workers.submit(_run, block))
            if len(pending) > AHEAD * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        workers.shutdown(wait=True, cancel_futures=True)


def _start(store: GraphStore, render: Render) -> None:
    _worker.update(store=store, render=render)


def _run(block: Block) -> bytes:
    result: bytes = _worker["render"](_worker["store"], block)
    return result
