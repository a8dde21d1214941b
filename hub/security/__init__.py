"""Who may do what, and the record of what they did: tokens, policy, masking, audit log.

Deliberately imports nothing: `python -m hub.security.verify_export` must run on the
standard library alone. Import the modules themselves (`hub.security.policy`, …).
"""
