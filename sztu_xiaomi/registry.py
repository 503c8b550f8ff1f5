"""The one rule of the apps' registries (kinds, digests, navigation): a key is registered once."""


def register_once(registry: dict, key, item, what: str):
    """Add `item` under `key`; the same item again is fine (a module imported twice), another is an error."""
    existing = registry.get(key)
    if existing is not None and existing != item:
        raise ValueError(f"{what} {key!r} is registered twice")
    registry[key] = item
    return item
