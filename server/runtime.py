"""How a trialgraph process runs Python: the cyclic garbage collector tuned for a heap that is
loaded once and then read.

An answer allocates thousands of short-lived objects. With Python's default thresholds (a young
collection every 700 allocations, an old one every 100 young ones) a request now and then pays
for a full collection of everything the process holds (caches of decoded attributes, the
schema, the loaded indexes): a neighborhood's p99 at 500,000 trials went from 15 to 60 ms. Young
collections after 10,000 allocations (old ones so after a million) keep those pauses out of the
answers; higher thresholds gain nothing more and let a burst of refused requests' garbage
(exceptions and their tracebacks hold cycles) stay longer. Loading gains too: the graph being
built is scanned by fewer collections (20,000 trials: 12 % more trials a second).

An old collection still scans every object the process holds, and most of them live as long as
the process: the modules (numpy, Strawberry, graphql-core: 80,000 objects, 70 ms to scan on
this machine), the schema, the loaded graph. A server settles its heap once it is ready to
serve (:func:`settle_heap`): those objects are frozen out of every later collection, which then
scans only what serving made since: 1-3 ms instead of 150 ms in a 500,000-trial server, whose
first old collection under load had stalled every answer (InvestigatorTrials at 350 requests/s:
p99 213 ms in the first five seconds, then 3.5 ms; settled, 3.8 ms from the start). A reload
thaws the heap, collects the old graph's cycles and settles again (:func:`resettle_heap`).
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 10, 10)  # young, middle, old (Python's default: 700, 10, 10)


def tune_collector() -> None:
    """Set the collector's thresholds for loading and serving.

    >>> previous = gc.get_threshold()
    >>> tune_collector()
    >>> gc.get_threshold()
    (10000, 10, 10)
    >>> gc.set_threshold(*previous)
    """
    gc.set_threshold(*THRESHOLDS)


def settle_heap() -> None:
    """Collect once, then keep every object alive now out of later collections (``gc.freeze``):
    for a process ready to serve. An object frozen is still freed when nothing refers to it;
    only its cycles wait for :func:`resettle_heap`."""
    gc.collect()
    gc.freeze()


def resettle_heap() -> None:
    """After a reload: the frozen objects scanned again, the old graph's cycles collected, and
    what is alive now frozen."""
    gc.unfreeze()
    settle_heap()
