"""Files for testing and measuring the evidence checks: phone photos and decompression bombs.

Each is built in memory when needed, small to store and quick to make, however large it decodes to.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_16_bit(width: int = 7300, height: int = 5480) -> bytes:
    """A 16-bit RGB PNG (40 megapixels by default) of a repeating pattern: under 1 MB on disk,
    240 MB of samples once decoded."""
    deflate = zlib.compressobj(9)
    row_bytes = width * 6
    row = b"\x00" + (bytes(range(256)) * (row_bytes // 256 + 1))[:row_bytes]
    body = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def photo(width: int, height: int) -> Image.Image:
    """A photo-like picture: smooth gradients with some grain, as a phone camera makes."""
    grain = Image.effect_noise((max(1, width // 16), max(1, height // 16)), 60).convert("L")
    red = grain.resize((width, height), Image.Resampling.BILINEAR)
    green = Image.linear_gradient("L").resize((width, height))
    blue = Image.radial_gradient("L").resize((width, height))
    return Image.merge("RGB", (red, green, blue))


def jpeg_photo(width: int = 8160, height: int = 6120) -> bytes:
    """A phone photo as JPEG: 8160 x 6120 is a 50 megapixel camera's full size."""
    buffer = io.BytesIO()
    photo(width, height).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def heic_photo(width: int = 8160, height: int = 6120) -> bytes:
    """A phone photo as HEIC, in 512-pixel tiles as phones save them."""
    import pillow_heif

    buffer = io.BytesIO()
    heif = pillow_heif.from_pillow(photo(width, height))
    heif.save(buffer, quality=50, enc_params={"preset": "ultrafast"}, tile_size=512)
    return buffer.getvalue()


def animated(format: str, *, frames: int, size: tuple[int, int] = (64, 64)) -> bytes:
    """An animated GIF, WebP or PNG of `frames` frames, each a little different."""
    pictures = [Image.new("RGB", size, (frame % 256, (frame * 7) % 256, 90)) for frame in range(frames)]
    buffer = io.BytesIO()
    options = {"lossless": True} if format == "WEBP" else {}
    pictures[0].save(buffer, format, save_all=True, append_images=pictures[1:], duration=40, loop=0, **options)
    return buffer.getvalue()


def gif_with_damaged_frame(frames: int = 4, damaged: int = 3) -> bytes:
    """An animated GIF whose later frame's picture data is cut short: the first frame is fine."""
    content = animated("GIF", frames=frames, size=(64, 64))
    # Each frame starts with an image descriptor (0x2C); truncate the data after the chosen one.
    starts = [index for index in range(len(content)) if content[index] == 0x2C and content[index - 1] in (0x00,)]
    cut = starts[damaged] + 12
    return content[:cut] + b"\x00\x3b"


def pdf_flate_bomb(decoded_bytes: int = 1024**3) -> bytes:
    """A one-page PDF with a Flate stream of `decoded_bytes` zeros (1 GiB by default: about 1 MB)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream := zeros_deflated(decoded_bytes))
            + stream
            + b"\nendstream",
        ]
    )


def zeros_deflated(count: int) -> bytes:
    """A zlib stream of `count` zero bytes, made without compressing them all.

    A megabyte of zeros is compressed once with a full flush, which makes its output independent
    of what came before; repeating that output repeats the megabyte. The checksum of n zeros is
    known: Adler-32 stays 1 in its low half and counts n in its high half.
    """
    block = 1024 * 1024
    whole, rest = divmod(count, block)
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = raw.compress(b"\x00" * block) + raw.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    ending = tail.compress(b"\x00" * rest) + tail.flush()
    adler = ((count % 65521) << 16) | 1
    return b"\x78\xda" + repeated * whole + ending + struct.pack(">I", adler)


def pdf_many_objects(count: int = 180_000) -> bytes:
    """A one-page PDF with `count` objects (180,000 by default), most of them empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    objects += [b"null"] * max(0, count - len(objects))
    return _pdf(objects)


def pdf_plain(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_screenshot(width: int, height: int) -> bytes:
    """An 8-bit RGB PNG of flat colours and gradients, as a very large screenshot would be."""
    green = Image.linear_gradient("L").resize((width, height))
    blue = Image.radial_gradient("L").resize((width, height))
    red = Image.new("L", (width, height), 230)
    buffer = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def pdf_at_the_limits(objects: int, decoded_bytes: int, streams: int = 10) -> bytes:
    """A PDF just inside the limits: `objects` objects and Flate streams decoding to `decoded_bytes`."""
    each = decoded_bytes // streams
    page_contents = " ".join(f"{4 + number} 0 R" for number in range(streams)).encode()
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents [" + page_contents + b"] >>",
    ]
    for _ in range(streams):
        stream = zeros_deflated(each)
        body.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    body += [b"null"] * max(0, objects - len(body))
    return _pdf(body)
