"""qrpng draws the same modules as the qrcode package (version, mask 2, level M) at a fraction
of the cost, and its PNG has one pixel a module, black or white, with a light border."""
from __future__ import annotations

import io
import random
import string

import pytest
import qrcode
import zxingcpp
from PIL import Image

from app.certificates import qrpng


def _package_matrix(text: str, version: int) -> list[list[bool]]:
    qr = qrcode.QRCode(version=version, border=0, mask_pattern=qrpng.MASK, error_correction=qrpng.ERROR_CORRECTION)
    qr.add_data(text)
    qr.make(fit=False)
    return qr.get_matrix()


def _samples():
    rnd = random.Random(19)
    urls = ["https://rencai.minhang.gov.cn/verify/" + "".join(rnd.choice(string.ascii_letters + string.digits + "-_")
                                                             for _ in range(rnd.randint(5, 60))) for _ in range(60)]
    digits = ["".join(rnd.choice(string.digits) for _ in range(rnd.randint(1, 120))) for _ in range(30)]
    alnum = ["".join(rnd.choice("ABCXYZ0123456789 $%*+-./:") for _ in range(rnd.randint(1, 120))) + "x" * (n % 3)
             for n in range(30)]
    mixed = ["https://x.cn/" + "7" * rnd.randint(15, 40) + "/ABCDEFGHIJKLMNOPQRSTU" + "张玥" * (n % 2) for n in range(30)]
    return urls + digits + alnum + mixed


@pytest.mark.parametrize("text", _samples())
def test_modules_are_the_packages(text):
    version = qrpng.version_for(len(text.encode("utf-8")))
    assert qrpng.matrix(text, version) == _package_matrix(text, version)


def test_png_is_one_pixel_a_module_with_a_border_and_decodes():
    url = "https://rencai.minhang.gov.cn/verify/AbCdEfGhIjKlMnOpQrStUv"
    image = Image.open(io.BytesIO(qrpng.png(url)))
    modules = qrpng.matrix(url)
    side = len(modules) + 2 * qrpng.BORDER
    assert image.size == (side, side) and image.mode == "L"
    pixels = image.convert("L").load()
    assert all(pixels[c + qrpng.BORDER, r + qrpng.BORDER] == (0 if dark else 255)
               for r, row in enumerate(modules) for c, dark in enumerate(row))
    assert all(pixels[x, y] == 255 for x in range(side) for y in range(side)
               if min(x, y) < qrpng.BORDER or max(x, y) >= side - qrpng.BORDER)
    big = image.convert("L").resize((side * 8, side * 8), Image.NEAREST)
    assert [b.text for b in zxingcpp.read_barcodes(big, formats=zxingcpp.BarcodeFormat.QRCode)] == [url]
