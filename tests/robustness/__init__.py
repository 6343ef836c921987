"""The robustness suite (issue 16): hostile and broken input through the real command line.

`corpus` generates the malformed-input cases into a temporary folder (nothing binary is
committed), `mutations` the line and byte edits of real lessons, `xss` the script payloads
for the rendered pages. The tests run a bounded count of each; `bench/fuzz.py` the full count.
"""
