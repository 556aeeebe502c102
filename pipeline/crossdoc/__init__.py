"""Cross-document steps, run once after all chunks are written, over the tables."""


def finalize(out_dir) -> None:
    """Placeholder until the cross-document stage lands: nothing to do yet."""
    return None
