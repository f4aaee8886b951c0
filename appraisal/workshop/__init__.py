"""The workshop web app: stakeholders' pairwise judgments collected on their phones (``appraise workshop serve``).

- :mod:`.store`: sessions, participants and the append-only judgment log (SQLAlchemy 2: SQLite or PostgreSQL);
- :mod:`.analysis`: what the answers say, by the engine's kernels (Harker's completion, AIJ panel, S*);
- :mod:`.forms`: what may be sent (pydantic);
- :mod:`.export`: the package with the panel, a CSV per participant, the audit trail, the QR code;
- :mod:`.app`: the Starlette app, its pages (``templates/``) and a little script (``static/``).

Needs the optional extra ``appraise[workshop]``; nothing else in appraise imports this package.
"""
