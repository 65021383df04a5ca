"""`slp serve`: everyone answers on their own phone; the consultant's laptop is the server.

The parts follow `slp assess`: ``state`` is the pure room (reusing ``assess.session``), ``room``
saves every answer to the participant's own answer file, ``security`` holds the tokens, forms and
limits, ``pages`` the views and templates, ``app`` the HTTP routes, ``terminal`` the moderator's
screen. Needs the optional extra: ``pip install 'slp-assess[serve]'``.
"""
