"""Distances on the globe and sites near a place, from the index's per-site coordinate columns.

A search first keeps the sites inside a bounding box around the circle (a cheap comparison over
the columns, in numpy), then measures great-circle distances (haversine, on a sphere of the
Earth's mean radius) for those only.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from graph.compact.graph import CompactGraph
from graph.compact.index import GraphIndex
from graph.compact.positions import distinct
from graph.model import EdgeKind, NodeKind

EARTH_RADIUS_KM = 6371.0088  # the mean radius
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180

Positions = npt.NDArray[np.uint32]


def haversine_km(
    latitude: float, longitude: float, latitudes: npt.ArrayLike, longitudes: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distances in km from one point to each of several.

    >>> round(float(haversine_km(48.8566, 2.3522, [51.5074], [-0.1278])[0]))  # Paris to London
    344
    """
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    lat2 = np.radians(np.asarray(latitudes, dtype=np.float64))
    lon2 = np.radians(np.asarray(longitudes, dtype=np.float64))
    a = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    distances: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distances


def bounding_box(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float] | None:
    """Latitude and longitude bounds holding every point within ``km``; ``None`` for the
    longitudes when the circle reaches a pole or crosses the antimeridian (then any longitude).

    >>> [round(v, 3) for v in bounding_box(0.0, 0.0, 111.195)]
    [-1.0, 1.0, -1.0, 1.0]
    """
    spread = km / KM_PER_DEGREE
    low, high = latitude - spread, latitude + spread
    if low <= -90 or high >= 90:
        return None
    widest = max(abs(low), abs(high))
    lon_spread = spread / math.cos(math.radians(widest))
    if longitude - lon_spread < -180 or longitude + lon_spread > 180:
        return None
    return low, high, longitude - lon_spread, longitude + lon_spread


def sites_near(
    graph: CompactGraph, index: GraphIndex, latitude: float, longitude: float, km: float
) -> tuple[Positions, npt.NDArray[np.float64]]:
    """The sites within ``km`` of a point and their distances: nearest first, then by id.

    Sites without coordinates (neither in their record nor from the gazetteer) are never near.
    """
    lo = graph.store.kind_range(NodeKind.SITE)[0]
    latitudes, longitudes = index.site_columns["latitude"], index.site_columns["longitude"]
    keep = ~np.isnan(latitudes)
    box = bounding_box(latitude, longitude, km)
    with np.errstate(invalid="ignore"):
        spread = km / KM_PER_DEGREE
        keep &= (latitudes >= latitude - spread) & (latitudes <= latitude + spread)
        if box is not None:
            keep &= (longitudes >= box[2]) & (longitudes <= box[3])
    numbers = np.flatnonzero(keep)
    distances = haversine_km(latitude, longitude, latitudes[numbers], longitudes[numbers])
    within = distances <= km
    numbers, distances = numbers[within], distances[within]
    order = np.lexsort((numbers, distances))
    return (numbers[order] + lo).astype(np.uint32), distances[order]


def trials_near(
    graph: CompactGraph, index: GraphIndex, latitude: float, longitude: float, km: float
) -> Positions:
    """The trials with a site within ``km`` of a point, sorted, each once."""
    sites, _ = sites_near(graph, index, latitude, longitude, km)
    store = graph.store
    parts = []
    for site in sites.tolist():
        span = store.in_range(site, EdgeKind.CONDUCTED_AT)
        parts.append(store.in_source[span.lo : span.hi])
    if not parts:
        return np.zeros(0, np.uint32)
    return distinct(np.concatenate(parts)).astype(np.uint32)
