"""HITS hubs and authorities.

A good hub points to good authorities and a good authority is pointed to by good hubs
(mutually reinforcing, normalised to sum 1).  In the support network supporters are
the hubs and recipients the authorities.

>>> import networkx as nx
>>> g = nx.DiGraph([("jiangsu", "kizilsu"), ("jiangsu", "ili"), ("jiangxi", "kizilsu")])
>>> rows = {r["node"]: (round(r["hub"], 3), round(r["authority"], 3)) for r in run(g)}
>>> rows["jiangsu"][0] > rows["jiangxi"][0], rows["kizilsu"][1] > rows["ili"][1]
(True, True)
>>> rows["kizilsu"][0], rows["jiangsu"][1]
(0.0, 0.0)
"""
from __future__ import annotations

import networkx as nx


def run(graph: nx.Graph, **_) -> list[dict]:
    if graph.number_of_edges() == 0:
        return [{"node": n, "hub": 0.0, "authority": 0.0} for n in graph.nodes]
    hubs, authorities = nx.hits(graph, max_iter=1000, normalized=True)
    # scores are non-negative; the eigen-solver can return -0.0 or -1e-17 for zero
    return sorted(({"node": n, "hub": max(0.0, float(hubs[n])), "authority": max(0.0, float(authorities[n]))}
                   for n in graph.nodes),
                  key=lambda r: (-(r["hub"] + r["authority"]), r["node"]))
