"""Reading user files safely (shell): regular files only, with a size limit, as UTF-8.

``/dev/zero`` or a named pipe given as an input would otherwise be read forever; a binary
file given as text would end in a UnicodeDecodeError.  Each becomes an
:class:`~thaad.errors.InputError` naming the option.
"""

from __future__ import annotations

import stat
from pathlib import Path

from thaad.errors import InputError


def read_bytes_limited(path, field: str, limit: int, what: str = "input") -> bytes:
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(field, f"{str(p)!r}: no such file (not found)") from None
    except OSError as err:
        raise InputError(field, f"{str(p)!r}: cannot read: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(field, f"{str(p)!r} is a folder, not a {what} file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(field, f"{str(p)!r} is not a regular file (a device, pipe or socket); give a {what} file")
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as err:
        raise InputError(field, f"{str(p)!r}: cannot read: {err.strerror or err}") from None
    if len(data) > limit:
        raise InputError(field, f"{str(p)!r} is larger than {limit // 1024:,} KiB: not a {what} file")
    return data


def read_text_limited(path, field: str, limit: int, what: str = "input") -> str:
    """UTF-8 text (a leading byte-order mark is dropped) of a regular file of at most ``limit`` bytes."""
    data = read_bytes_limited(path, field, limit, what)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise InputError(field, f"{str(Path(path))!r} is not UTF-8 text (byte {err.start}): is it a {what} file?") from None
