"""Benchmarks of the sync's server-side cost, printed next to the original module's figures.

``python -m bench.sync`` measures an initial sync both ways and an incremental run (and, once the
admin lists exist, their render time). Benchmarks print; they never assert timings. The test
suite runs one small scenario so this code keeps working.
"""
