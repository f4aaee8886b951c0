"""The file names appraise knows: the suffixes of what it reads, the names a run leaves in its output folder.

One list of each, for the readers and writers (:mod:`appraisal.io.formats` chooses by these suffixes),
for discovery (:func:`appraisal.batch.discover` reads packages by them and never walks into a folder
holding a run's marker or lock) and for the commands' messages.
"""

#: a JSON or TOML document (a package, a criteria set, an opinion, source limits)
DOCUMENT_SUFFIXES = (".json", ".toml")
#: an Excel workbook (openpyxl reads .xlsx and .xlsm)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: what a package is read from
PACKAGE_SUFFIXES = DOCUMENT_SUFFIXES + WORKBOOK_SUFFIXES
#: a decision matrix or a pairwise matrix
MATRIX_SUFFIXES = (".csv",)
#: a long table of many partnerships' projects
TABLE_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)
#: what a ranking, a portfolio or a sensitivity report is written to
RESULT_SUFFIXES = (".json", ".xlsx")

#: the lock file a run holds in its output folder while it writes (batch, opinions)
LOCK_NAME = ".appraise.lock"
#: the run marker an appraise run keeps in its output folder (:mod:`appraisal.io.batch_output`)
RUN_MARKER = ".appraise-run.json"
