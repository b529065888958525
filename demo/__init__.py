"""Demo data for development (`make run`): a Django app of its own, kept out of the built package.

pyproject.toml ships only the apps production runs; settings add this one when the checkout has it.
"""
