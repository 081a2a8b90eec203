"""The candidate's pages: profile wizard, documents, consents, applying to programmes and "my data"."""
