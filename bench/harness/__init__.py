"""The benchmark harness: dlmllib against PyTorch and Spark's MLP (python -m harness)."""
