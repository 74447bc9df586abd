"""The pages audited by the web's own checkers: `make audit` (python -m audit).

The Nu HTML Checker (``nu.py``) reads every page the site has; Lighthouse (``lighthouse.py``)
scores six pages, mobile and desktop, served compressed (``serve.py``); ``targets.py`` holds
the numbers they must reach and ``__main__.py`` prints the tables and fails on a miss. The
checkers are pinned npm packages in ``package.json`` here (installed by ``npm ci``).
"""
