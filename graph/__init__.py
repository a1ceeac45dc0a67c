"""Everything that knows RDF: build, store, named queries, export, validation."""

__version__ = "0.1.0"
