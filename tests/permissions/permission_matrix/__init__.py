"""The permission matrix: for every view and endpoint, who may use it on an object owned by someone else.

How it works
============

A *world* (``world.py``) holds two of everything, built through the domain services: two
candidates, two host organisations each with an admin and a staff member, and one person of
every other role. The "A" side (``candidate``, ``host_admin``, ``host_staff`` of organisation A)
owns the world's objects; ``other_candidate``, ``other_host_admin`` and ``other_host_staff``
are the "someone else" who must be refused.

Each domain declares, in ``entries/<domain>.py``:

* ``build(world)`` (optional): create that domain's objects through its services and store
  them in ``world.objects`` under a documented name;
* ``ENDPOINTS``: one :class:`~permission_matrix.harness.Endpoint` per URL pattern (per method),
  saying how to reach the world's object and which actors are allowed;
* ``EXEMPT`` (optional): :class:`~permission_matrix.harness.Exempt` patterns for URLs that
  have no owner by nature (the sign-in page), each with its reason.

``test_matrix.py`` runs every (endpoint, actor) pair, anonymous included: an allowed actor
must get through; everyone else must be refused (401/403/404, or a redirect to a sign-in
page) and the database must be exactly as before (a fingerprint of every row of every model).
It also walks the URL resolver and fails on any pattern that is neither in the matrix nor
exempted, so no view can be added without deciding who may use it.

To add a domain: write ``entries/<domain>.py`` and add its name to ``entries.MODULES``.
"""
