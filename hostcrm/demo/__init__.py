"""``make demo``: the reference CRM with the Finance (QB) module, synchronising with a simulated QuickBooks.

``python -m hostcrm.demo`` runs :func:`hostcrm.demo.steps.run_demo`; ``--once`` (or ``ONCE=1``)
stops after the sync and writes ``demo-report.json``; ``--instance`` (or ``HOSTCRM_INSTANCE_PATH``)
chooses the folder that holds everything the demo creates.
"""
