"""Reading and writing canonical profiles as files: JSON (a list), JSONL (one profile a line) and CSV.

CSV layout (one profile a row, UTF-8, header first): ``format_version``, ``id``, one column per
identity field named ``identity.<field>`` (``identity.citizenships`` holds a JSON list), ``h_index``,
then one column per list section (``identity_documents``, ``education``, ``work_history``, ``skills``,
``language_tests``, ``publications``, ``patents``, ``achievements``, ``salary_offers``, ``family``,
``documents``, ``consents``) holding that list JSON-encoded, and ``extensions`` holding a JSON object.
An empty cell means "not given" (the field's default).

Reading never stops at the first bad record: every record comes back with its number
(1-based), its line where the format has lines, and either the profile or its errors:

>>> import io
>>> text = '{"id": "a", "identity": {"given_names_latin": "A", "date_of_birth": "1990-01-01", "sex": "male"}}\\n{"id": "b"}\\n'
>>> [(r.number, r.line, r.profile is not None, [e.field for e in r.errors]) for r in read_profiles(text, Format.JSONL)]
[(1, 1, True, []), (2, 2, False, ['identity'])]
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TextIO

from pydantic import ValidationError

from talentgate.canonical.profile import CandidateProfile, Identity

__all__ = [
    "CSV_COLUMNS",
    "Format",
    "ParsedRecord",
    "RecordError",
    "detect_format",
    "dotted_path",
    "read_profiles",
    "write_profiles",
]


class Format(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


_IDENTITY_FIELDS = list(Identity.model_fields)
_SCALAR_COLUMNS = ["format_version", "id"]
_INT_COLUMNS = {"format_version", "h_index"}
_JSON_SECTIONS = [
    name for name in CandidateProfile.model_fields if name not in {"format_version", "id", "identity", "h_index"}
]
CSV_COLUMNS: list[str] = [
    *_SCALAR_COLUMNS,
    *(f"identity.{name}" for name in _IDENTITY_FIELDS),
    "h_index",
    *_JSON_SECTIONS,
]
_JSON_CELLS = {*_JSON_SECTIONS, "identity.citizenships"}


@dataclass(frozen=True)
class RecordError:
    """One broken rule in one record: ``field`` is the path inside the profile (``language_tests[0].listening``)."""

    record: int
    line: int | None
    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"record {self.record}" + (f" (line {self.line})" if self.line is not None else "")
        return f"{where}: {self.field or '(record)'}: {self.message} [{self.rule}]"


@dataclass
class ParsedRecord:
    number: int
    line: int | None
    profile: CandidateProfile | None = None
    errors: list[RecordError] = field(default_factory=list)


def dotted_path(loc: Iterable[str | int]) -> str:
    """``("language_tests", 0, "listening")`` -> ``"language_tests[0].listening"``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def detect_format(name: str, head: str) -> Format:
    """The format from a file name's extension, else from its first character (``[`` JSON, ``{`` JSONL, else CSV)."""
    lowered = name.lower()
    for fmt in (Format.JSONL, Format.JSON, Format.CSV):
        if lowered.endswith(f".{fmt.value}"):
            return fmt
    first = head.lstrip("\ufeff \t\r\n")[:1]
    return Format.JSON if first == "[" else Format.JSONL if first == "{" else Format.CSV


def _validate(number: int, line: int | None, data: Any) -> ParsedRecord:
    record = ParsedRecord(number, line)
    try:
        record.profile = CandidateProfile.model_validate(data)
    except ValidationError as error:
        record.errors = [
            RecordError(number, line, dotted_path(e["loc"]), e["type"], e["msg"])
            for e in error.errors(include_url=False)
        ]
    return record


def _raw_records(text: str, fmt: Format) -> Iterator[tuple[int, int | None, Any, list[RecordError]]]:
    if fmt is Format.JSON:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield (
                1,
                error.lineno,
                None,
                [RecordError(1, error.lineno, "", "json_invalid", f"not valid JSON: {error.msg}")],
            )
            return
        if not isinstance(data, list):
            yield 1, 1, None, [RecordError(1, 1, "", "json_not_list", "a JSON profile file is a list of profiles")]
            return
        for number, item in enumerate(data, start=1):
            yield number, None, item, []
    elif fmt is Format.JSONL:
        number = 0
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            number += 1
            try:
                yield number, line_no, json.loads(line), []
            except json.JSONDecodeError as error:
                yield (
                    number,
                    line_no,
                    None,
                    [RecordError(number, line_no, "", "json_invalid", f"not valid JSON: {error.msg}")],
                )
    else:
        yield from _csv_records(text)


def _csv_records(text: str) -> Iterator[tuple[int, int | None, Any, list[RecordError]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        message = f"unknown column(s) {', '.join(unknown)}; the columns are: {', '.join(CSV_COLUMNS)}"
        yield 0, 1, None, [RecordError(0, 1, unknown[0], "unknown_column", message)]
        return
    for number, row in enumerate(reader, start=1):
        line = reader.line_num
        data: dict[str, Any] = {}
        errors: list[RecordError] = []
        for column, cell in row.items():
            if column is None or cell is None or cell == "":
                continue
            value: Any = cell
            if column in _JSON_CELLS:
                try:
                    value = json.loads(cell)
                except json.JSONDecodeError as error:
                    errors.append(
                        RecordError(number, line, column, "json_invalid", f"cell is not valid JSON: {error.msg}")
                    )
                    continue
            elif column in _INT_COLUMNS and cell.strip().lstrip("-").isdigit():
                value = int(cell)
            if column.startswith("identity."):
                data.setdefault("identity", {})[column.removeprefix("identity.")] = value
            else:
                data[column] = value
        yield number, line, data, errors


def read_profiles(source: str | TextIO, fmt: Format) -> Iterator[ParsedRecord]:
    """Parse and validate every record; a repeated ``id`` is an error on its later record."""
    text = source if isinstance(source, str) else source.read()
    first_seen: dict[str, int] = {}
    for number, line, data, errors in _raw_records(text, fmt):
        if errors:
            yield ParsedRecord(number, line, None, errors)
            continue
        record = _validate(number, line, data)
        if record.profile is not None:
            earlier = first_seen.setdefault(record.profile.id, number)
            if earlier != number:
                record.errors = [
                    RecordError(
                        number,
                        line,
                        "id",
                        "duplicate_id",
                        f"id '{record.profile.id}' already appears in record {earlier}",
                    )
                ]
                record.profile = None
        yield record


def _csv_row(profile: CandidateProfile) -> list[str]:
    data = profile.model_dump(mode="json")
    cells: list[str] = []
    for column in CSV_COLUMNS:
        section = data["identity"] if column.startswith("identity.") else data
        value = section[column.removeprefix("identity.")]
        if column in _JSON_CELLS:
            cells.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        else:
            cells.append("" if value is None else str(value))
    return cells


def write_profiles(profiles: Iterable[CandidateProfile], fmt: Format, stream: TextIO) -> int:
    """Write profiles in ``fmt``; return how many were written. JSON is written incrementally (no big list in memory)."""
    count = 0
    if fmt is Format.CSV:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for profile in profiles:
            writer.writerow(_csv_row(profile))
            count += 1
    elif fmt is Format.JSONL:
        for profile in profiles:
            stream.write(profile.model_dump_json())
            stream.write("\n")
            count += 1
    else:
        stream.write("[")
        for profile in profiles:
            stream.write(",\n" if count else "\n")
            stream.write(profile.model_dump_json())
            count += 1
        stream.write("\n]\n" if count else "]\n")
    return count
