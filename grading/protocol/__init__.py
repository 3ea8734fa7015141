"""The messages between the processes and their data-only encoding (JSON and ``.npy``; never
pickle)."""
