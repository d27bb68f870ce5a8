"""Training the answer scorer: examples from data no question set uses, and the fitting script."""
