"""The request context every resolver receives: the loaded graph and the limits in force."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from strawberry.types import Info as StrawberryInfo

from graph.build.loading import TrialGraph
from schema.limits import Limits


@dataclass(slots=True)
class Context:
    trial_graph: TrialGraph
    limits: Limits

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.trial_graph.graph


Info = StrawberryInfo[Context, None]
