"""Learning delivery: scenarios and peer learning in the formats where learning already happens.

Pure writers (no database, no Prefect, no Streamlit): each takes the scenarios and actions as
plain dataclasses and returns files (SCORM 1.2 / 2004, cmi5, xAPI statements, quiz sheets,
H5P, handouts). The store gathers what they need; `casebook export` and the coach's pages call them.
"""
