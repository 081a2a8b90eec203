"""Operations: health checks, structured logs with a request id, backup and restore, field-key rotation.

A Django app without models: its ``ready()`` wires the task signals that carry the
request id into the worker. Key-rotation cursors live in the shared ``Job`` table.
"""
