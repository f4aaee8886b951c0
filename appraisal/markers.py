"""The names a run of appraise leaves in an output folder.

Discovery (:func:`appraisal.batch.discover`) never walks into a folder holding one of them (another
run's output), and the writers in :mod:`appraisal.io` make them; both read the names here.
"""

#: the lock file a run holds in its output folder while it writes (batch, opinions)
LOCK_NAME = ".appraise.lock"
#: the run marker an appraise run keeps in its output folder (:mod:`appraisal.io.batch_output`)
RUN_MARKER = ".appraise-run.json"
