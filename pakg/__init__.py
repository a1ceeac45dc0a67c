"""The `pakg` command: above both layers, the knowledge graph (graph/) and the service (api/)."""
