"""A Brother QL's USB address is a path the server writes to: only character devices in the printer
device folders pass, so an admin cannot point a printer at a file, a link to one, or another device."""
from __future__ import annotations

import os
import re

import pytest

from services.printers.addresses import AddressError, check
from services.printers.device import check_device

USB_ONLY = ("/dev/usb/",)


@pytest.mark.parametrize("path, says", [
    ("/etc/passwd", "Only printer devices under /dev/usb/"),
    ("/dev/null", "Only printer devices under /dev/usb/"),
    ("/dev/mem", "Only printer devices under /dev/usb/"),
    ("/dev/usb/../../etc/passwd", "letters, digits and / only"),
    ("/dev/usb/./lp0/..", "letters, digits and / only"),
    ("/dev/usb/", "Only printer devices under /dev/usb/"),
    ("/dev/usb/lp0; rm -rf /", "letters, digits and / only"),
    ("/dev/usb/lp0\n", "does not exist"),  # stripped, then simply not plugged in here
    ("/dev/usb/lp9", "does not exist"),
    ("/dev/usblp7", "does not exist"),
])
def test_only_usb_printer_devices_are_accepted(path, says):
    with pytest.raises(AddressError, match=re.escape(says)):
        check_device(path, USB_ONLY)


def test_links_files_and_fifos_in_an_allowed_folder_are_refused(tmp_path):
    folder = (str(tmp_path) + "/",)
    (tmp_path / "to-passwd").symlink_to("/etc/passwd")
    (tmp_path / "to-null").symlink_to("/dev/null")
    (tmp_path / "plain").write_bytes(b"")
    os.mkfifo(tmp_path / "fifo")
    for name in ("to-passwd", "to-null"):  # the link is inside, what it names is not
        with pytest.raises(AddressError, match="Only printer devices"):
            check_device(str(tmp_path / name), folder)
    for name in ("plain", "fifo"):
        with pytest.raises(AddressError, match="is not a printer device"):
            check_device(str(tmp_path / name), folder)
    with pytest.raises(AddressError, match="does not exist"):
        check_device(str(tmp_path / "missing"), folder)
    assert (tmp_path / "plain").read_bytes() == b""


def test_a_character_device_in_an_allowed_folder_is_accepted():
    master, slave = os.openpty()
    try:
        path = os.ttyname(slave)
        assert check_device(path, ("/dev/pts/",)) == path
        with pytest.raises(AddressError, match="Only printer devices"):
            check_device(path, USB_ONLY)  # production's folders
    finally:
        os.close(master)
        os.close(slave)


def test_network_and_cups_addresses_take_no_paths():
    for kind in ("zpl", "brother_ql"):  # a QL's device path is only ever checked by check_device
        with pytest.raises(AddressError, match="no http:// or path"):
            check(kind, "/dev/usb/lp0")
    with pytest.raises(AddressError, match="queue"):
        check("cups", "/dev/usb/lp0")


def test_zebra_printers_cannot_be_given_a_device(admin_client):
    answer = admin_client.post("/labels/printers/new", data={
        "name": "Zebra", "kind": "zpl", "address": "/dev/usb/lp0", "media_width_mm": "62", "dpi": "203", "model": ""})
    assert answer.status_code == 422 and "no http:// or path" in answer.get_data(as_text=True)
