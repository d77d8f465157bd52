"""Free-text search: every term must appear in one of the fields an admin recognises a key by."""

from __future__ import annotations

from keydash_core.keys import ApiKey

# A character no search term can contain, so that a term never matches across two fields.
_FIELD_SEPARATOR = "\x00"


def haystack(key: ApiKey) -> str:
    fields = (
        key.owner_username,
        key.owner_email,
        key.owner_id,
        key.description,
        key.alias,
        *key.tags,
        *key.allowed_models,
    )
    return _FIELD_SEPARATOR.join(value.casefold() for value in fields if value)


def clean_terms(terms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(term.replace(_FIELD_SEPARATOR, "") for term in terms if term != _FIELD_SEPARATOR)
