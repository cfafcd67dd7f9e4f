"""A fake camera for Chromium: `--use-file-for-fake-video-capture` plays a Y4M file as the
webcam, so the scanner page decodes a real QR image through getUserMedia as on a phone."""
from __future__ import annotations

from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 640, 480


def qr_scene(qr: Image.Image, side: int = 330) -> Image.Image:
    """The QR code as a phone camera sees a ticket held up: centred on a lighter-grey background."""
    scene = Image.new("RGB", (WIDTH, HEIGHT), (200, 200, 196))
    code = qr.convert("RGB").resize((side, side), Image.NEAREST)
    scene.paste(code, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    return scene


def write_y4m(frames: list[Image.Image], path: Path, fps: int = 10) -> Path:
    """YUV 4:2:0 frames in a YUV4MPEG2 file (the format Chromium's fake capture reads)."""
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            y, cb, cr = frame.convert("YCbCr").split()
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.resize((WIDTH // 2, HEIGHT // 2), Image.BILINEAR).tobytes())
            out.write(cr.resize((WIDTH // 2, HEIGHT // 2), Image.BILINEAR).tobytes())
    return path
