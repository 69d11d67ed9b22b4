"""Decode one HEIC photo in a process of its own and print a copy of display size as PNG.

    python heic_decoder.py MAX_SIDE MAX_BYTES MAX_CPU_SECONDS < photo.heic > display.png

libheif holds a decoded photo twice over (its YCbCr planes and the RGB result: about 225 MB for
50 megapixels) and cannot be interrupted, so the evidence service runs it here, in a child with
a memory ceiling and a CPU-time limit, instead of in a web worker. This file imports nothing of
the project and is started with an empty environment: it starts quickly and holds no database
connection or secret.

Exit status: 0 with "WIDTH HEIGHT" (the photo's) and a line break, then the PNG, on stdout;
2 when the file cannot be decoded; 3 when it would need more memory than MAX_BYTES; 4 (or
killed by SIGXCPU) when it takes more CPU time than allowed.
"""

import io
import math
import resource
import sys

# Room for the interpreter and libraries on top of the decoded image, whatever the image.
_OVERHEAD_BYTES = 400 * 1024 * 1024


def main() -> int:
    max_side, max_bytes, max_seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    # CPU time, not wall time: a busy server slows the decoding without making it more work.
    resource.setrlimit(resource.RLIMIT_CPU, (max_seconds, max_seconds + 1))
    ceiling = max_bytes * 2 + _OVERHEAD_BYTES
    # The data limit counts what is actually allocated; the address-space limit would also count
    # the arenas and stacks each decoding thread reserves but never uses.
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))
    import numpy as np
    import pillow_heif
    from PIL import Image

    try:
        heif = pillow_heif.open_heif(io.BytesIO(sys.stdin.buffer.read()), convert_hdr_to_8bit=True)
        (width, height), mode = heif.size, heif.mode
        channels = {"RGB": 3, "RGBA": 4}[mode]
    except Exception:
        return 2
    if width * height * channels > max_bytes:
        return 3
    try:
        decoded = np.frombuffer(heif.data, dtype=np.uint8).reshape(height, heif.stride)
        pixels = decoded[:, : width * channels].reshape(height, width, channels)
        # Every n-th pixel down to about twice the display size, then a proper resampling.
        step = max(1, math.floor(max(width, height) / (2 * max_side)))
        sampled = Image.fromarray(np.ascontiguousarray(pixels[::step, ::step]), mode)
        del decoded, pixels, heif
        sampled.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    except MemoryError:
        return 3
    except Exception:
        return 2
    output = io.BytesIO()
    sampled.save(output, format="PNG", compress_level=1)
    sys.stdout.buffer.write(f"{width} {height}\n".encode() + output.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
