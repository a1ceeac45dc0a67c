"""The FastAPI service: app factory, settings, routers.  No SPARQL text and no rdflib here."""
