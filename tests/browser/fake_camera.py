"""A fake camera for Chromium: `--use-file-for-fake-video-capture` plays a Y4M file as the
webcam, so the scanner page decodes a real QR image through getUserMedia as on a phone."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, TIMEOUT_MS

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


@contextmanager
def filming(browser, qr: Image.Image, video: Path, *, side: int = 330, clock_at=None):
    """A phone whose camera films `qr` held up: a page in a Chromium of its own (the fake camera is
    a launch flag; same Playwright instance as the session's browser, since a second sync Playwright
    cannot start inside the first one's loop), the code `side` pixels wide, its clock set to
    `clock_at` if given. Yields
    (page, errors): the page's uncaught errors, for the caller to assert none."""
    write_y4m([qr_scene(qr, side=side)] * 10, video)
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                              f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera.new_context(permissions=["camera"], **PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if clock_at is not None:
            page.clock.install(time=clock_at)
        yield page, errors
        context.close()
    finally:
        camera.close()
