"""Training (needs the ``[train]`` extra: torch and transformers). Imported only by ``propwatch train``."""
