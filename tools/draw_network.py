"""Draw the national support network (province level) from its GraphML export into a PNG.

    python tools/draw_network.py docs/support-network.png

Reads the GraphML that `GET /network?format=graphml&level=province` serves (built here in
process from data/), lays it out with a fixed seed and colours edges by mode.
"""
from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import network  # noqa: E402
from graph.build import build  # noqa: E402
from graph.readmodel import ReadModel  # noqa: E402
from graph.config import DATA_DIR, base_iri  # noqa: E402
from graph.store import Engine  # noqa: E402

MODE_COLOURS = {"traditional": "#4c72b0", "group-style": "#dd8452", "east-west-cooperation": "#55a868",
                "disaster-reconstruction": "#c44e52"}


def main(out: str) -> None:
    model = ReadModel(Engine.from_build(build(DATA_DIR)), base_iri())
    graphml = network.serialize(network.project(model, "support", "province"), "graphml")
    graph = nx.parse_graphml(graphml.decode())
    supporters = {a for a, _ in graph.edges}
    pos = nx.spring_layout(graph, seed=11, k=0.9, weight="pairings", iterations=200)
    fig, ax = plt.subplots(figsize=(16, 12), dpi=110)
    for mode, colour in MODE_COLOURS.items():
        edges = [(a, b) for a, b, d in graph.edges(data=True) if mode in d.get("modes", "").split(";")]
        widths = [0.6 + 0.6 * graph.edges[e]["pairings"] for e in edges]
        nx.draw_networkx_edges(graph, pos, edgelist=edges, edge_color=colour, width=widths, alpha=0.55,
                               arrowsize=8, ax=ax)
    sizes = [40 + 25 * graph.degree(n, weight="pairings") for n in graph.nodes]
    colours = ["#333333" if n in supporters else "#bbbbbb" for n in graph.nodes]
    nx.draw_networkx_nodes(graph, pos, node_size=sizes, node_color=colours, ax=ax)
    labels = {n: d["label_en"] for n, d in graph.nodes(data=True) if graph.degree(n, weight="pairings") >= 4}
    nx.draw_networkx_labels(graph, pos, labels=labels, font_size=8, ax=ax)
    ax.set_title(f"Paired-assistance support network at province level — {graph.number_of_nodes()} units, "
                 f"{graph.number_of_edges()} supporter→recipient links (pakg dataset {model.version})")
    from matplotlib.lines import Line2D
    handles = [Line2D([0], [0], color=c, lw=3, label=m) for m, c in MODE_COLOURS.items()]
    handles += [Line2D([0], [0], marker="o", color="w", markerfacecolor=c, markersize=10, label=l)
                for c, l in (("#333333", "supports"), ("#bbbbbb", "only receives"))]
    ax.legend(handles=handles, title="edge colour: mode; node size: pairings", loc="lower left")
    ax.axis("off")
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/support-network.png")
