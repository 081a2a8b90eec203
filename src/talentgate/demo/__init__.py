"""The demo programme: a seeded synthetic generator of candidates, hosts and applications, and its bulk loader.

A plain package, not a Django app: :mod:`talentgate.demo.generator` imports no Django
(so ``talentgate demo export`` never touches a database); :mod:`talentgate.demo.loader`
writes what the generator makes into the database in bulk; :mod:`talentgate.demo.serve`
runs the demo web server beside one task worker.
"""
