"""The shared kit every domain uses: errors, access helpers, audit trail, encryption, jobs."""
