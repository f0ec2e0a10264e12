"""Printers plugged into the server: a Brother QL on USB, through the kernel's usblp driver
(/dev/usb/lp0, or /dev/usblp0 on some systems).

An address that is a path makes the server write to that file, so only character devices in the
printer device folders are accepted, at save time AND again when a job opens it (by then the path
could have become a link to something else): the path is resolved, must stay in those folders, is
opened without O_CREAT/O_TRUNC (nothing is ever created or emptied) and without following a last
link, and the opened file itself must be a character device. The tests stand a pseudo-terminal in
for the printer; /dev/pts/ is allowed only when the app is TESTING and its config lists it in
PRINTER_DEVICE_TEST_DIRS, which no deploy-time config sets (config.py does not read it).

Sending keeps the TCP deadlines: no progress writing for SEND_TIMEOUT_S, or no answer for
ANSWER_TIMEOUT_S, is a PrinterError, never a hung job.
"""
from __future__ import annotations

import errno
import os
import re
import select
import stat
import time

from flask import current_app, has_app_context

from services.printers.addresses import AddressError
from services.printers.transport import ANSWER_TIMEOUT_S, SEND_TIMEOUT_S, Answer, PrinterError, PrinterSilent

DEVICE_DIRS = ("/dev/usb/",)
_USBLP = re.compile(r"/dev/usblp[0-9]{1,3}")
_NAME = re.compile(r"/[A-Za-z0-9/_.-]{1,250}")


def is_device(text: str) -> bool:
    """Whether an address names a device (a path) rather than a host."""
    return (text or "").strip().startswith("/")


def allowed_dirs() -> tuple[str, ...]:
    """The folders a device may be in: /dev/usb/, plus the tests' own when the app is TESTING."""
    extra = ()
    if has_app_context() and current_app.testing:
        extra = tuple(folder.rstrip("/") + "/" for folder in current_app.config.get("PRINTER_DEVICE_TEST_DIRS", ()))
    return DEVICE_DIRS + extra


def _inside(path: str, dirs: tuple[str, ...]) -> bool:
    return bool(_USBLP.fullmatch(path)) or any(path.startswith(folder) and path != folder for folder in dirs)


def check_device(text: str, dirs: tuple[str, ...] | None = None) -> str:
    """The device path as given; AddressError saying what to give for anything else."""
    path = (text or "").strip()
    dirs = allowed_dirs() if dirs is None else dirs
    where = "a USB printer device such as /dev/usb/lp0"
    if not _NAME.fullmatch(path) or "/../" in path + "/" or "/./" in path + "/":
        raise AddressError(f"Give {where} (letters, digits and / only).")
    real = os.path.realpath(path)
    if not (_inside(path, dirs) and _inside(real, dirs)):
        raise AddressError(f"Only printer devices under /dev/usb/ can be used: give {where}.")
    try:
        mode = os.stat(real).st_mode
    except OSError:
        raise AddressError(f"{path} does not exist on the server: is the printer plugged in and switched on "
                           "(ls /dev/usb/)?") from None
    if not stat.S_ISCHR(mode):
        raise AddressError(f"{path} is not a printer device; give {where}.")
    return path


def _open(path: str, name: str) -> int:
    try:
        real = os.path.realpath(check_device(path))
        fd = os.open(real, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    except AddressError as error:
        raise PrinterError(f"{name}: {error}") from None
    except OSError as error:
        hint = " (the server's user needs to be in the lp group)" if error.errno == errno.EACCES else ""
        raise PrinterError(f"Cannot open {name} at {path}: {error.strerror or error}{hint}.") from None
    if not stat.S_ISCHR(os.fstat(fd).st_mode):  # what was opened, not what was checked a moment ago
        os.close(fd)
        raise PrinterError(f"{name}: {path} is not a printer device.")
    return fd


def _drain(fd: int) -> None:
    """Drop answers left over from an earlier job, so they are not taken for this one's."""
    for _ in range(64):
        try:
            if not os.read(fd, 4096):
                return
        except OSError:  # EAGAIN: nothing waiting
            return


def _write(fd: int, data: bytes, path: str, name: str) -> None:
    view = memoryview(data)
    while view:
        if not select.select([], [fd], [], SEND_TIMEOUT_S)[1]:
            raise PrinterError(f"{name} at {path} stopped taking data for {SEND_TIMEOUT_S:g} s; "
                               "it may be busy, paused or out of media. Nothing more was sent.")
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            continue
        except OSError as error:
            raise PrinterError(f"{name} at {path} went away while printing: {error.strerror or error}.") from None


def _read_until(fd: int, done, path: str, name: str) -> bytes:
    """Read until done(answer); PrinterError after ANSWER_TIMEOUT_S of silence (restarting with every report)."""
    answer = b""
    silent_since = time.monotonic()
    while not done(answer):
        left = ANSWER_TIMEOUT_S - (time.monotonic() - silent_since)
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise PrinterSilent(f"{name} at {path} took the data but did not answer within {ANSWER_TIMEOUT_S:g} s, "
                               "so the labels may not have printed; check the printer and retry.")
        try:
            chunk = os.read(fd, 4096)
        except BlockingIOError:
            chunk = b""
        except OSError as error:
            raise PrinterError(f"{name} at {path} went away: {error.strerror or error}.") from None
        if chunk:
            answer, silent_since = answer + chunk, time.monotonic()
        else:
            time.sleep(0.05)  # usblp can say "readable" with nothing to read until the printer answers
    return answer


def send_device(path: str, name: str, data: bytes, answered, interpret) -> Answer:
    """Write `data` to the device, then read until answered(bytes) and return interpret(bytes)."""
    fd = _open(path, name)
    try:
        _drain(fd)
        _write(fd, data, path, name)
        return interpret(_read_until(fd, answered, path, name))
    finally:
        os.close(fd)
