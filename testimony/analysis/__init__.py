"""Text analysis: language, redaction, places and tag suggestions. Pure Python: no Django here.

One entry point, ``testimony.analysis.pipeline.analyse``, serves both the Celery task and
``manage.py analyse`` (contract in DESIGN.md). Models load once per process, on first use.
"""
