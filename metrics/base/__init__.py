"""The vocabulary every other package speaks: errors, clock, configuration, names, numbers,
periods, limits, the indicator catalogue and the access rules. Imports nothing else of ours."""
