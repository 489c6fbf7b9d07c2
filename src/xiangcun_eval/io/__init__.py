"""File formats: TOML reading/writing, serialisable models, atomic writes."""
