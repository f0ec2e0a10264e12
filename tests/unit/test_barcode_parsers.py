"""Parsers for codes we did not print, with real-world strings as suppliers print them."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from barcodes.parsers import parse
from barcodes.parsers.gs1 import gs1_check_ok

DIGIKEY = ("[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d10K85781337\x1d11K1"
           "\x1d4LPH\x1dQ10\x1d11ZPICK\x1d12Z15221337\x1d13Z361337\x1d20Z" + "0" * 100)
DIGIKEY_30P = "[)>\x1e06\x1d30P296-LM358BIDDFRCT-ND\x1dK\x1d1K72991337\x1d10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK"
MOUSER = "[)>\x1e06\x1dKP0-1337\x1d14K011\x1d1PMC34063ADR\x1dQ3\x1d11K073121337\x1d4LMX\x1d1VTI\x1e\x04"
MOUSER_OLD = ">[)>06\x1dK21421337\x1d14K033\x1d1PLDK320ADU33R\x1dQ32\x1d11K060931337\x1d4LCN\x1d1VSTMicro"
LCSC = "{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}"
TME_QR = ("QTY:1 PN:WBP-302 PO:19361337/1 CPO:PO-2023-06-08-001337 MFR:WISHERENTERPRISE MPN:WBP-302 RoHS "
          "https://www.tme.eu/details/WBP-302")
TME_DM = "PWBP-302 1PMPNWBP-302 Q1 K19361337/1"


def _strip(text: str) -> str:
    return text.replace("\x1d", "").replace("\x1e", "").replace("\x04", "")


def test_digikey():
    parsed = parse(DIGIKEY)
    assert parsed.format == "ecia" and parsed.supplier == "DigiKey"
    f = parsed.fields
    assert (f["sku"], f["mpn"], f["quantity"], f["supplier_so"], f["invoice"], f["country_of_origin"]) == \
        ("296-LM358BIDDFRCT-ND", "LM358BIDDFR", 10, "72991337", "85781337", "PH")


def test_digikey_with_30p():
    parsed = parse(DIGIKEY_30P)
    assert parsed.fields["sku"] == "296-LM358BIDDFRCT-ND" and parsed.supplier == "DigiKey"


@pytest.mark.parametrize("code, po, mpn, quantity, maker", [
    (MOUSER, "P0-1337", "MC34063ADR", 3, "TI"), (MOUSER_OLD, "21421337", "LDK320ADU33R", 32, "STMicro")])
def test_mouser_current_and_old_header(code, po, mpn, quantity, maker):
    parsed = parse(code)
    assert parsed.supplier == "Mouser"
    f = parsed.fields
    assert (f["customer_po"], f["mpn"], f["quantity"], f["manufacturer"]) == (po, mpn, quantity, maker)
    assert "sku" not in f


@pytest.mark.parametrize("code", [DIGIKEY, MOUSER, MOUSER_OLD])
def test_wedge_input_without_separators_is_recovered(code):
    camera, wedge = parse(code), parse(_strip(code))
    assert wedge is not None and wedge.fields.pop("separators_recovered") is True
    assert wedge.fields == camera.fields


def test_lcsc():
    parsed = parse(LCSC)
    assert parsed.format == "lcsc" and parsed.supplier == "LCSC"
    assert (parsed.fields["sku"], parsed.fields["mpn"], parsed.fields["quantity"], parsed.fields["supplier_so"]) == \
        ("C312270", "ST-1-102-A01-T000-RS", 2, "SO2009291337")


def test_tme_qr_and_datamatrix():
    qr, dm = parse(TME_QR), parse(TME_DM)
    assert qr.format == dm.format == "tme"
    assert (qr.fields["sku"], qr.fields["mpn"], qr.fields["quantity"], qr.fields["customer_po"],
            qr.fields["supplier_so"], qr.fields["manufacturer"]) == \
        ("WBP-302", "WBP-302", 1, "PO-2023-06-08-001337", "19361337/1", "WISHERENTERPRISE")
    assert (dm.fields["sku"], dm.fields["quantity"], dm.fields["supplier_so"]) == ("WBP-302", 1, "19361337/1")


def test_gs1_element_string_with_fixed_and_variable_ais():
    text = ("\x1d0109501101530003" "17260600" "10LOT-42\x1d" "21SN0001\x1d" "3712\x1d" "400PO-77\x1d"
            "240ADD\x1d" "241CUST-1\x1d" "250SEC\x1d" "11250101" "13250102" "1525" "0131" "30" "5\x1d" "8004GIAI-9")
    f = parse(text).fields
    assert f["gtin"] == "09501101530003" and f["expiry"] == "2026-06-30"  # day 00: last of the month
    assert (f["lot"], f["serial"], f["customer_po"], f["additional_id"], f["customer_part"]) == \
        ("LOT-42", "SN0001", "PO-77", "ADD", "CUST-1")
    assert (f["secondary_serial"], f["production_date"], f["packaging_date"], f["best_before"], f["giai"]) == \
        ("SEC", "2025-01-01", "2025-01-02", "2025-01-31", "GIAI-9")
    assert f["quantity"] == 5  # AI 30 after AI 37: the last one wins


def test_gs1_sscc_and_content_gtin():
    f = parse("\x1d00106141411234567897" "0209501101530003" "3710").fields
    assert f["sscc"] == "106141411234567897" and f["content_gtin"] == "09501101530003" and f["quantity"] == 10


def test_gs1_with_aim_id_and_parenthesised_form():
    assert parse("0109501101530003" "10AB", aim_id="]C1").fields == {"gtin": "09501101530003", "lot": "AB"}
    assert parse("(01)09501101530003(10)AB(17)261231").fields["expiry"] == "2026-12-31"


@pytest.mark.parametrize("text", ["\x1d0109501101530004", "(01)09501101530004", "\x1d0012345", "\x1d17261332",
                                  "\x1d99" + "x" * 91])
def test_gs1_bad_check_digits_dates_and_lengths_are_refused(text):
    assert parse(text) is None or parse(text).format not in ("gs1",)


def test_gs1_digital_link():
    parsed = parse("https://id.gs1.org/01/09501101530003/10/AB%2012/21/S9?17=261231&linkType=gs1:pip")
    assert parsed.format == "gs1-digital-link"
    assert parsed.fields == {"gtin": "09501101530003", "lot": "AB 12", "serial": "S9", "expiry": "2026-12-31"}
    assert parse("https://example.com/shop/01/4006381333931").fields["gtin"] == "04006381333931"
    assert parse("https://id.gs1.org/01/09501101530004") is None
    assert parse("https://example.com/item/12345?lot=ABC") is None


def test_bare_ean_upc():
    assert parse("5901234123457").fields == {"gtin": "05901234123457"}
    assert parse("5901234123458") is None
    assert gs1_check_ok("036000291452") and gs1_check_ok("96385074")


arbitrary = st.one_of(
    st.text(max_size=400),
    st.builds(lambda parts: "\x1d".join(parts), st.lists(st.text(alphabet="0123456789ABCDKPQLTVZ-/", max_size=30), max_size=12)),
    st.builds(lambda body: "[)>\x1e06\x1d" + body, st.text(alphabet="0123456789ABKPQLVZ\x1d\x1e\x04 -", max_size=200)),
    st.builds(lambda body: "[)>06" + body, st.text(alphabet="0123456789KPQLVZ1", max_size=200)),
    st.builds(lambda body: "{" + body + "}", st.text(alphabet="abcpmqty:,{}0123", max_size=100)),
    st.builds(lambda body: "https://id.gs1.org/" + body, st.text(alphabet="0123456789/?=&%AB", max_size=80)),
)


@hsettings(max_examples=500, deadline=None)
@given(arbitrary, st.sampled_from(["", "]C1", "]d2", "]Q3", "]C0"]))
def test_no_parser_raises_on_arbitrary_text(text, aim):
    result = parse(text, aim)
    assert result is None or isinstance(result.fields, dict)


@hsettings(max_examples=500, deadline=None)
@given(arbitrary)
def test_each_parser_itself_never_raises(text):
    """parse() guards against parser bugs; this proves there are none to guard against."""
    from barcodes.parsers import ecia, gs1, lcsc, tme

    for parser in (ecia.parse, gs1.parse, lambda t: gs1.parse(t, force=True), lcsc.parse, tme.parse):
        parser(text)


@pytest.mark.parametrize("aim", ["]C1", "]d2", "]Q3", "]e0", "]z1", "]d1", "]C0", "]Q1"])
def test_an_aim_prefix_is_a_hint_never_a_veto(aim):
    ecia = "[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dQ10\x1e\x04"
    assert parse(ecia, aim_id=aim).format == "ecia"
    assert parse("{pbn:PICK,on:SO1,pc:C312270,pm:LM358,qty:5}", aim_id=aim).format == "lcsc"
    gs1_fields = {"gtin": "09501101530003", "lot": "AB"}
    for text in ("\x1d0109501101530003" "10AB", "(01)09501101530003(10)AB", "0109501101530003" "10AB"):
        assert parse(text, aim_id=aim).fields == gs1_fields
