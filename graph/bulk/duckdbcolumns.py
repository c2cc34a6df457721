"""The fields of the msgspec structs the per-record reader decodes registry studies into
(:mod:`graph.read.registry.shapes`), as DuckDB column types: what DuckDB is told to read.
"""

from __future__ import annotations

import msgspec

# An integer (the enrollment) is read as its JSON text and checked in polars: JSON's integers have
# no bound, DuckDB's have, and as a BIGINT DuckDB would take 12.5, "12" or true as 12.
_SCALARS = {msgspec.inspect.StrType: "VARCHAR", msgspec.inspect.IntType: "JSON"}
_SCALARS |= {msgspec.inspect.FloatType: "DOUBLE", msgspec.inspect.BoolType: "BOOLEAN"}


def schema_of(struct: type[msgspec.Struct]) -> dict[str, str]:
    """The fields of a msgspec struct, by their JSON names, as DuckDB column types."""
    info = msgspec.inspect.type_info(struct)
    assert isinstance(info, msgspec.inspect.StructType)
    return {field.encode_name: _duckdb_type(field.type) for field in info.fields}


def _duckdb_type(kind: msgspec.inspect.Type) -> str:
    if isinstance(kind, msgspec.inspect.UnionType):  # a field that may be null
        [kind] = [one for one in kind.types if not isinstance(one, msgspec.inspect.NoneType)]
    if isinstance(kind, msgspec.inspect.ListType):
        return f"{_duckdb_type(kind.item_type)}[]"
    if isinstance(kind, msgspec.inspect.StructType):
        fields = ", ".join(f'"{field.encode_name}" {_duckdb_type(field.type)}' for field in kind.fields)
        return f"STRUCT({fields})"
    return _SCALARS[type(kind)]
