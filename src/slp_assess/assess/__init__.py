"""`slp assess`: the interactive workshop assessment.

The parts follow the data flow and never reach across it:

* ``parsing`` and ``session`` are pure: what a typed line means, where the session stands.
* ``store`` writes and reads answer files (atomically, after every answer).
* ``screen`` draws with rich; ``workshop`` runs the question loop over all three.
"""
