"""Batch re-evaluation of a corpus: inputs streamed in chunks to worker processes, one report."""
