"""Neighborhoods on the shared records agree with networkx walking the same graph."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.build.loading import TrialGraph, load_graph
from graph.query.traversal import neighborhood
from tests.paths import CTGOV, SEEDS


@pytest.fixture(scope="module")
def shared() -> TrialGraph:
    return load_graph([SEEDS, CTGOV])


def test_a_neighborhood_is_every_node_within_the_hops_and_every_edge_among_them(shared: TrialGraph) -> None:
    graph = shared.graph
    undirected = nx.Graph(graph.edges())
    undirected.add_nodes_from(graph.nodes())
    starts = sorted(graph.nodes())[:: max(1, graph.number_of_nodes() // 40)]
    for start in starts:
        for hops in (1, 2):
            found = neighborhood(graph, start, hops)
            within = nx.single_source_shortest_path_length(undirected, start, cutoff=hops)
            assert sorted(found.nodes) == sorted(within), (start, hops)
            among = {
                (source, target, key)
                for source, target, key in graph.edges(keys=True)
                if source in within and target in within
            }
            links = [(link.source, link.target, link.key) for link in found.links]
            assert sorted(links) == links and set(links) == among and len(links) == len(among), (start, hops)
