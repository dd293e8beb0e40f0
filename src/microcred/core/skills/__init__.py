"""Skills: taxonomy files, skill suggestions, candidate matching and learning-path planning.

Framework-free like the rest of ``core``: the Django apps ``skills`` and ``talent`` persist
and serve what these modules compute.
"""
