"""QR codes as tiny PNGs, ~10x cheaper than drawing each with the qrcode package.

The qrcode package builds each code in pure Python with polynomial objects (Reed-Solomon ~3 ms
a code) and a PIL image: ~15% of a batch's CPU. Certificates of a batch all use one version,
error correction level and mask, so here the package draws the fixed parts once (finder,
timing and alignment patterns, format information) and lists the modules data goes into, in
its order; per code only the codewords are computed (lookup-table Reed-Solomon) and written
into a copy of that template, and the PNG is written directly. The segments (byte, numeric,
alphanumeric) are the package's own choice, so the modules are exactly the package's
(tests/certificates/test_qr_png.py compares them).
"""
from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from qrcode import base as qr_base
from qrcode import util as qr_util
from qrcode.LUT import rsPoly_LUT

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
MASK = 2  # any mask is valid; scoring all eight costs ~6 ms a code
BORDER = 2
PNG_DATA_URI = "data:image/png;base64,"

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _ec_codewords(data: list[int], count: int) -> list[int]:
    """The Reed-Solomon remainder of `data` by the generator of `count` EC codewords: the
    remainder held as one integer, shifted a byte a step and XORed with the generator times the
    factor (a table per count), not updated codeword by codeword (~10x the time)."""
    products, top = _generator_products(count), 8 * (count - 1)
    remainder, mask = 0, (1 << 8 * count) - 1
    for byte in data:
        remainder = ((remainder << 8) & mask) ^ products[(remainder >> top) ^ byte]
    return list(remainder.to_bytes(count, "big"))


@lru_cache(maxsize=None)
def _generator_products(count: int) -> tuple[int, ...]:
    """Per factor (0-255), the generator's coefficients after the first times it, as one integer
    (a codeword a byte, the first the most significant)."""
    generator = [_LOG[c] for c in _generator(count)[1:]]
    return (0,) + tuple(int.from_bytes(bytes(_EXP[_LOG[factor] + g] for g in generator), "big")
                        for factor in range(1, 256))


@lru_cache(maxsize=None)
def _generator(count: int) -> tuple[int, ...]:
    if count in rsPoly_LUT:
        return tuple(rsPoly_LUT[count])
    poly = [1]
    for i in range(count):  # (x - a^i) products, as the package does for unlisted sizes
        out = [0] * (len(poly) + 1)
        for j, c in enumerate(poly):
            out[j] ^= c
            if c:
                out[j + 1] ^= _EXP[_LOG[c] + i]
        poly = out
    return tuple(poly)


@dataclass(frozen=True)
class _Template:
    version: int
    size: int
    blocks: tuple[tuple[int, int], ...]  # (data codewords, EC codewords) per RS block
    rows: tuple[int, ...]  # per row, dark modules as bits: the fixed ones, and data modules for a 0 bit
    bits: tuple[tuple[int, int], ...]  # per data bit, in order: its row and the row bit it flips


class _Capture(qrcode.QRCode):
    def map_data(self, data, mask_pattern):
        self.blank = [row[:] for row in self.modules]
        super().map_data(data, mask_pattern)


@lru_cache(maxsize=16)
def _template(version: int) -> _Template:
    qr = _Capture(version=version, error_correction=ERROR_CORRECTION, mask_pattern=MASK, border=0)
    qr.add_data("0")
    qr.make(fit=False)
    size = qr.modules_count
    positions = []
    row, step = size - 1, -1
    for col in range(size - 1, 0, -2):  # the package's map_data walk, two columns at a time, zigzag
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if qr.blank[row][c] is None:
                    positions.append((row, c))
            row += step
            if row < 0 or row >= size:
                row -= step
                step = -step
                break
    mask = qr_util.mask_func(MASK)
    blocks = tuple((b.data_count, b.total_count - b.data_count) for b in qr_base.rs_blocks(version, ERROR_CORRECTION))
    rows = [0] * size
    for r, row in enumerate(qr.blank):
        for c, dark in enumerate(row):
            if dark or (dark is None and mask(r, c)):  # a data module holding 0 is dark where masked
                rows[r] |= 1 << (size - 1 - c)
    return _Template(version, size, blocks, tuple(rows), tuple((r, 1 << (size - 1 - c)) for r, c in positions))


@lru_cache(maxsize=32)
def version_for(length: int) -> int:
    """The smallest version for `length` bytes (links in a batch all have one length)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION)
    qr.add_data("x" * length)
    qr.make(fit=True)
    return qr.version


def _data_bits(data: bytes, version: int, capacity: int) -> bytes:
    """The data codewords: the package's segments, terminator and padding (create_data's)."""
    bits, count = 0, 0

    def put(value: int, length: int) -> None:
        nonlocal bits, count
        bits, count = (bits << length) | value, count + length

    for segment in qr_util.optimal_data_chunks(data, minimum=20):  # add_data's default
        put(segment.mode, 4)
        put(len(segment), qr_util.length_in_bits(segment.mode, version))
        text = segment.data
        if segment.mode == qr_util.MODE_NUMBER:
            for i in range(0, len(text), 3):
                chunk = text[i:i + 3]
                put(int(chunk), qr_util.NUMBER_LENGTH[len(chunk)])
        elif segment.mode == qr_util.MODE_ALPHA_NUM:
            for i in range(0, len(text), 2):
                chunk = text[i:i + 2]
                if len(chunk) > 1:
                    put(qr_util.ALPHA_NUM.find(chunk[:1]) * 45 + qr_util.ALPHA_NUM.find(chunk[1:]), 11)
                else:
                    put(qr_util.ALPHA_NUM.find(chunk), 6)
        else:
            for byte in text:
                put(byte, 8)
    limit = capacity * 8
    if count > limit:
        raise ValueError(f"QR data too long for version {version}")
    put(0, min(limit - count, 4))
    if count % 8:
        put(0, 8 - count % 8)
    pads = (limit - count) // 8
    for i in range(pads):
        put(0xEC if i % 2 == 0 else 0x11, 8)
    return bits.to_bytes(capacity, "big")


def codewords(data: bytes, version: int) -> list[int]:
    """Data and EC codewords, interleaved block by block (the package's create_data)."""
    blocks = _template(version).blocks
    raw = _data_bits(data, version, sum(d for d, _ in blocks))
    dc, ec, offset = [], [], 0
    for data_count, ec_count in blocks:
        chunk = list(raw[offset:offset + data_count])
        offset += data_count
        dc.append(chunk)
        ec.append(_ec_codewords(chunk, ec_count))
    out = []
    for group in (dc, ec):
        for i in range(max(len(g) for g in group)):
            out.extend(g[i] for g in group if i < len(g))
    return out


def dark_rows(text: str, version: int | None = None) -> list[int]:
    """The modules as one int per row, bit (size - 1 - column) set where dark, as
    qrcode.QRCode(version, mask 2, M) draws them (without border)."""
    data = text.encode("utf-8")
    template = _template(version or version_for(len(data)))
    words = codewords(data, template.version)
    modules, masks = _word_masks(template)
    for masks_of_word, word in zip(masks, words):
        modules ^= masks_of_word[word]
    size, row = template.size, (1 << template.size) - 1
    return [modules >> (r * size) & row for r in range(size)]


@lru_cache(maxsize=16)
def _word_masks(template: _Template) -> tuple[int, tuple[tuple[int, ...], ...]]:
    """The template's rows as one integer (row r at bit r * size), and per codeword, per value
    (0-255), the modules its bits flip in it: a codeword is then placed by one XOR, not bit by bit."""
    size = template.size
    modules = sum(row << (r * size) for r, row in enumerate(template.rows))
    placed = [m << (r * size) for r, m in template.bits]
    masks = []
    for word in range(len(placed) // 8):
        bit = [placed[8 * word + 7 - j] for j in range(8)]  # bit j of the value (the first module is its top bit)
        table = [0] * 256
        for value in range(1, 256):
            low = value & -value
            table[value] = table[value ^ low] ^ bit[low.bit_length() - 1]
        masks.append(tuple(table))
    return modules, tuple(masks)


def matrix(text: str, version: int | None = None) -> list[list[bool]]:
    """The modules (True = dark), without border: what the tests compare with the package's."""
    rows = dark_rows(text, version)
    size = len(rows)
    return [[bool(row >> (size - 1 - c) & 1) for c in range(size)] for row in rows]


_PIXELS = bytes.maketrans(b"01", b"\xff\x00")  # a dark module (bit 1) is black


def png(text: str) -> bytes:
    """The code as an 8-bit greyscale PNG, one pixel per module, BORDER light modules around.
    Greyscale, not 1-bit: WeasyPrint converts a 1-bit image to RGB and encodes it twice for the
    PDF, a greyscale one once, and embeds it as DeviceGray (a third of the bytes)."""
    rows = dark_rows(text)
    width = len(rows) + 2 * BORDER
    blank = b"\0" + b"\xff" * width
    raw = b"".join([blank * BORDER, *(b"\0" + f"{row << BORDER:0{width}b}".encode().translate(_PIXELS)
                                       for row in rows), blank * BORDER])
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, width, 8, 0, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b""))  # 9: as small, twice the time


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def data_uri(text: str) -> str:
    return PNG_DATA_URI + base64.b64encode(png(text)).decode("ascii")
