"""Evidence files: the exact bytes a complainant uploaded, kept privately, plus a clean display copy.

The original is evidence and is never altered. Everything a browser or officer looks at is the
re-encoded display copy (PNG, metadata-free), so nothing hidden in the upload reaches a screen.
The file's type is decided from its bytes, never from its name or the browser's say-so.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import signal
import subprocess
import sys
import threading
import time
import unicodedata
import uuid
import warnings
import zlib
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import imagehash
import pillow_heif

# imagehash imports SciPy's FFT on first use, which takes a second: pay it when a worker starts.
import scipy.fftpack  # noqa: F401
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

# HEIC is what iPhones save screenshots and photos as; without this Pillow cannot read them.
pillow_heif.register_heif_opener()

logger = logging.getLogger(__name__)


ORIGINALS_DIR = "evidence/originals/"
DISPLAY_DIR = "evidence/display/"
DISPLAY_EXTENSION = "png"
DISPLAY_CONTENT_TYPE = "image/png"
PDF_CONTENT_TYPE = "application/pdf"

_HEAD_BYTES = 256
_CHUNK_BYTES = 64 * 1024
_UNNAMED = "The selected file"
# Bytes that have no business inside evidence: a second document (a PDF inside an image) or markup a
# browser could run. PDF readers need "%PDF-" exactly; HTML is matched in any case.
_MARKUP_MARKERS = (b"<script", b"<html")
_MARKER_OVERLAP = len(b"<script") - 1
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_HEIF_CONTAINER_BRANDS = {b"mif1", b"msf1"}
# PDF features that run code or launch things when the file is opened.
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/XFA"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}
_PDF_MAX_NODES = 1_000_000
# Filters whose output pypdf builds in memory; each is bounded by the per-stream limit below.
_PDF_MEMORY_FILTERS = {
    "/LZWDecode",
    "/LZW",
    "/RunLengthDecode",
    "/RL",
    "/ASCIIHexDecode",
    "/AHx",
    "/ASCII85Decode",
    "/A85",
}
_INFLATE_STEP = 1024 * 1024
_PDF_OBJECT_HEADER = re.compile(rb"(?<![0-9])[0-9]{1,10}[ \t\r\n\f\x00]+[0-9]{1,5}[ \t\r\n\f\x00]+obj(?![A-Za-z])")
_PDF_SIZE = re.compile(rb"/Size[ \t\r\n\f\x00]*([0-9]{1,10})")
_PDF_PACKED = re.compile(rb"/Type[ \t\r\n\f\x00]*/ObjStm[^>]{0,200}?/N[ \t\r\n\f\x00]*([0-9]{1,10})")
_HEIC_DECODER = Path(__file__).with_name("heic_decoder.py")
# A threaded web worker checks one file at a time, so its memory is that of one check (the
# limits below are sized for one) while its other threads go on serving pages.
_ONE_CHECK_AT_A_TIME = threading.Lock()
_HEIC_WALL_SECONDS_PER_CPU_SECOND = 6
_HEIC_DECODER_ENV = {"LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
# Bytes held per pixel while an image is decoded and reduced: Pillow keeps RGB(A) in four bytes,
# and modes that must be converted before reducing cost the conversion's four bytes on top
# (16-bit greyscale: two bytes decoded, then two 32-bit steps on the way to 8 bits).
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "RGB": 4, "RGBA": 4, "I;16": 6, "I;16B": 6, "I;16L": 6, "I;16N": 6}
_REDUCED_MODES = {"L", "RGB", "RGBA"}
_STORED_PATH = re.compile(r"^evidence/(originals/[0-9a-f]{32}\.(png|jpg|webp|gif|heic|pdf)|display/[0-9a-f]{32}\.png)$")


class EvidenceRejected(Exception):
    """An upload we will not keep, and why: a `code` (e.g. "too_big") and the `values` its message
    needs: the file's `name` ("" when it has none) and any figure, e.g. the `limit`. The words the
    complainant reads for each code are the upload form's (EvidenceUploadForm.MESSAGES)."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class StoredFile:
    """A file kept as evidence but not yet attached to a case (it lives in the session until then)."""

    token: str
    original_name: str
    original_path: str
    display_path: str
    sha256: str
    size: int
    content_type: str
    width: int | None
    height: int | None
    perceptual_hash: str
    uploaded_at: str

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> StoredFile:
        """Rebuild from the session, refusing paths we did not generate (they are later deleted)."""
        stored = cls(**{f.name: data[f.name] for f in fields(cls)})
        if not re.fullmatch(r"[0-9a-f]{32}", stored.token):
            raise ValueError("Not a stored evidence token.")
        for path in (stored.original_path, stored.display_path):
            if path and not _STORED_PATH.match(path):
                raise ValueError("Not a stored evidence path.")
        return stored


@dataclass(frozen=True)
class _Kind:
    content_type: str
    extension: str
    pillow_formats: tuple[str, ...]


_PNG = _Kind("image/png", "png", ("PNG",))
_JPEG = _Kind("image/jpeg", "jpg", ("JPEG", "MPO"))
_WEBP = _Kind("image/webp", "webp", ("WEBP",))
_GIF = _Kind("image/gif", "gif", ("GIF",))
_HEIC = _Kind("image/heic", "heic", ("HEIF",))
_PDF = _Kind(PDF_CONTENT_TYPE, "pdf", ())

EXTENSIONS = {kind.content_type: kind.extension for kind in (_PNG, _JPEG, _WEBP, _GIF, _HEIC, _PDF)}


def evidence_file_store(*, upload) -> StoredFile:
    """Keep an upload as evidence: exact bytes under a server name, a clean display copy, hashes.

    Raises EvidenceRejected for anything we will not keep, and leaves nothing on disk when it does.
    """
    original_name = _clean_name(getattr(upload, "name", ""))
    label = original_name or _UNNAMED
    token = uuid.uuid4().hex
    written: list[str] = []
    try:
        with _ONE_CHECK_AT_A_TIME:
            return _store(upload, original_name or "Unnamed file", label, token, written)
    except EvidenceRejected:
        _delete_quietly(written)
        raise
    except Exception:
        # Bad input must never surface as a server error, and must not leave a half-kept file.
        logger.exception("Evidence upload %s could not be processed", token)
        _delete_quietly(written)
        raise EvidenceRejected("failed", name=label) from None


def evidence_file_discard(*, stored: StoredFile) -> None:
    """Delete a staged file and its display copy, e.g. when the complainant removes it."""
    _delete_quietly([path for path in (stored.original_path, stored.display_path) if _STORED_PATH.match(path)])


def _store(upload, original_name: str, label: str, token: str, written: list[str]) -> StoredFile:
    # Checking a file is bounded by the limits below; this deadline is the backstop for the rest.
    # It counts this thread's CPU time, so a busy server does not refuse files it would accept.
    deadline = time.thread_time() + settings.EVIDENCE_CHECK_MAX_SECONDS
    _check_declared_size(upload, label)
    kind = _sniff(_read_head(upload))
    if kind is None:
        raise EvidenceRejected("wrong_type", name=label)
    original_path = f"{ORIGINALS_DIR}{token}.{kind.extension}"
    written.append(original_path)
    digest = _save_original(upload, original_path, label)
    if digest.suspicious:
        raise EvidenceRejected("unsafe", name=label)
    width = height = None
    display_path = perceptual_hash = ""
    if kind is _PDF:
        _check_pdf(original_path, label, deadline)
    else:
        display_path = f"{DISPLAY_DIR}{token}.{DISPLAY_EXTENSION}"
        written.append(display_path)
        width, height, perceptual_hash = _process_image(original_path, display_path, kind, label, deadline)
    return StoredFile(
        token=token,
        original_name=original_name,
        original_path=original_path,
        display_path=display_path,
        sha256=digest.sha256,
        size=digest.size,
        content_type=kind.content_type,
        width=width,
        height=height,
        perceptual_hash=perceptual_hash,
        uploaded_at=datetime.now(UTC).isoformat(),
    )


# --- names, sizes and types ------------------------------------------------------------------


def _clean_name(raw) -> str:
    """The uploaded name made safe to show: no folders, control or direction-changing characters."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split())
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and 0 < len(ext) <= 10 else name[:255]
    return name


def _check_declared_size(upload, label: str) -> None:
    """Refuse by the declared size first so an oversized file is never read."""
    size = getattr(upload, "size", None)
    if size == 0:
        raise EvidenceRejected("empty", name=label)
    if size is not None and size > settings.EVIDENCE_MAX_BYTES:
        raise EvidenceRejected("too_big", name=label, limit=settings.EVIDENCE_MAX_BYTES)


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    return head


def _sniff(head: bytes) -> _Kind | None:
    """The type the bytes claim to be, from their magic numbers (confirmed later by opening them)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if head.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _GIF
    if _is_heic(head):
        return _HEIC
    if head.startswith(b"%PDF-"):
        return _PDF
    return None


def _is_heic(head: bytes) -> bool:
    """HEIC is an ISO box file whose 'ftyp' brands say HEVC; AVIF and video share the box format."""
    if head[4:8] != b"ftyp":
        return False
    box_end = min(int.from_bytes(head[:4], "big"), len(head))
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, box_end - 3, 4)}
    return major in _HEIC_BRANDS or (major in _HEIF_CONTAINER_BRANDS and bool(compatible & _HEIC_BRANDS))


# --- keeping the original --------------------------------------------------------------------


class _Digest:
    """Hashes, counts and scans bytes as they stream past, stopping at the size limit."""

    def __init__(self, label: str, *, look_for_pdf: bool):
        self.label = label
        self.exact_markers = (b"%PDF-",) if look_for_pdf else ()
        self._sha = hashlib.sha256()
        self._tail = b""
        self.size = 0
        self.suspicious = False

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > settings.EVIDENCE_MAX_BYTES:
            raise EvidenceRejected("too_big", name=self.label, limit=settings.EVIDENCE_MAX_BYTES)
        self._sha.update(chunk)
        window = self._tail + chunk
        lowered = window.lower()
        self.suspicious = (
            self.suspicious
            or any(marker in window for marker in self.exact_markers)
            or any(marker in lowered for marker in _MARKUP_MARKERS)
        )
        self._tail = window[-_MARKER_OVERLAP:]

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()


class _DigestingFile(File):
    """Hands the upload to storage chunk by chunk, feeding each chunk to a digest on the way.

    It deliberately has no temporary_file_path(), so storage copies through chunks() rather than
    moving the temporary file and skipping the hash.
    """

    def __init__(self, upload, digest: _Digest):
        super().__init__(upload, name=None)
        self._upload = upload
        self._digest = digest

    def chunks(self, chunk_size=None):
        self._upload.seek(0)
        for chunk in self._upload.chunks(chunk_size or _CHUNK_BYTES):
            self._digest.feed(chunk)
            yield chunk


def _save_original(upload, path: str, label: str) -> _Digest:
    look_for_pdf = not path.endswith(".pdf")
    digest = _Digest(label, look_for_pdf=look_for_pdf)
    saved = default_storage.save(path, _DigestingFile(upload, digest))
    if saved != path:
        raise RuntimeError("Storage renamed a server-generated evidence name.")
    if digest.size == 0:
        # A storage backend that reads instead of iterating chunks: hash what it actually kept.
        digest = _digest_stored(path, label, look_for_pdf)
    if digest.size == 0:
        raise EvidenceRejected("empty", name=label)
    return digest


def _digest_stored(path: str, label: str, look_for_pdf: bool) -> _Digest:
    digest = _Digest(label, look_for_pdf=look_for_pdf)
    with default_storage.open(path, "rb") as stored:
        for chunk in stored.chunks(_CHUNK_BYTES):
            digest.feed(chunk)
    return digest


def _delete_quietly(paths: list[str]) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except FileNotFoundError:
            pass
        except Exception:
            logger.exception("Could not delete evidence file %s", path)


# --- images ----------------------------------------------------------------------------------


def _process_image(
    original_path: str, display_path: str, kind: _Kind, label: str, deadline: float
) -> tuple[int, int, str]:
    """Prove the image decodes, then write the display copy. Returns width, height and phash.

    Decoding is bounded before it starts: the header's dimensions and mode give the memory the
    decoded image needs, a JPEG is decoded at a reduced scale, and every frame of an animation is
    decoded one at a time within a budget of frames and pixels.
    """
    _verify_image(original_path, kind, label)
    with default_storage.open(original_path, "rb") as stored:
        if kind is _HEIC:
            width, height, display = _heic_display_copy(stored, label, deadline)
        else:
            with _open_image(stored, kind, label) as image:
                width, height = image.size
                _check_frames(image, label, deadline)
                display = _display_copy(image, label)
    perceptual_hash = str(imagehash.phash(display))
    buffer = io.BytesIO()
    # The least compression: it is a copy for screens, and PNG's default takes seconds on a photo.
    display.save(buffer, format="PNG", compress_level=1)
    if default_storage.save(display_path, ContentFile(buffer.getvalue())) != display_path:
        raise RuntimeError("Storage renamed a server-generated display name.")
    return width, height, perceptual_hash


def _verify_image(path: str, kind: _Kind, label: str) -> None:
    """Pillow's structural check (e.g. PNG checksums); it leaves the image unusable, hence its own open."""
    if kind is _HEIC:
        return  # the HEIF plugin has no structural check; decoding it below is the check
    with default_storage.open(path, "rb") as stored:
        with _open_image(stored, kind, label) as image:
            try:
                image.verify()
            except Exception:
                raise EvidenceRejected("damaged", name=label) from None


def _open_image(stored, kind: _Kind, label: str) -> Image.Image:
    """Open with only the plugin the magic number named, refusing bombs before decoding anything."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stored, formats=[kind.pillow_formats[0]])
            if image.format not in kind.pillow_formats:
                raise EvidenceRejected("wrong_type", name=label)
            _check_pixels(image.size, label)
            return image
    except EvidenceRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceRejected("too_many_pixels", name=label, limit=settings.EVIDENCE_MAX_PIXELS) from None
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None


def _check_pixels(size: tuple[int, int], label: str) -> None:
    if size[0] * size[1] > settings.EVIDENCE_MAX_PIXELS or min(size) < 1:
        raise EvidenceRejected("too_many_pixels", name=label, limit=settings.EVIDENCE_MAX_PIXELS)


def _decode_bytes(mode: str, size: tuple[int, int]) -> int:
    per_pixel = _MODE_BYTES.get(mode, 4)
    if mode not in _REDUCED_MODES:
        per_pixel += 4  # converted to RGB(A) or L at full size before it is reduced
    return size[0] * size[1] * per_pixel


def _check_decode_cost(mode: str, size: tuple[int, int], label: str) -> None:
    if _decode_bytes(mode, size) > settings.EVIDENCE_DECODE_MAX_BYTES:
        raise EvidenceRejected("image_too_costly", name=label)


def _check_frames(image: Image.Image, label: str, deadline: float) -> None:
    """Decode every frame of an animated GIF, WebP or PNG, one at a time, within a budget.

    The frame count comes from the file's structure without decoding (GIF blocks, WebP and APNG
    headers); a frame may not be bigger than the limits either, and the check stops at the deadline.
    """
    try:
        frames = getattr(image, "n_frames", 1)
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None
    if frames <= 1:
        return
    if frames > settings.EVIDENCE_MAX_FRAMES:
        raise EvidenceRejected("too_many_frames", name=label, limit=settings.EVIDENCE_MAX_FRAMES)
    width, height = image.size
    if frames * width * height > settings.EVIDENCE_MAX_FRAME_PIXELS:
        raise EvidenceRejected("too_many_frames", name=label, limit=settings.EVIDENCE_MAX_FRAMES)
    try:
        for frame in range(frames):
            image.seek(frame)
            _check_pixels(image.size, label)
            _check_decode_cost(image.mode, image.size, label)
            image.load()
            if time.thread_time() > deadline:
                raise EvidenceRejected("too_slow", name=label)
        image.seek(0)
    except EvidenceRejected:
        raise
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None


def _display_size(size: tuple[int, int]) -> tuple[int, int]:
    side = settings.EVIDENCE_DISPLAY_MAX_SIDE
    scale = min(1.0, side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _display_copy(image: Image.Image, label: str) -> Image.Image:
    """Upright, RGB(A), bounded, and built on a fresh image so no EXIF, GPS, XMP or ICC data survives.

    A JPEG is decoded at the smallest scale still at least as big as the display copy (a 50
    megapixel photo at a quarter of its width), and the image is reduced before it is converted,
    so the only full-size copy in memory is the decoded one. For an animated image this is the
    first frame.
    """
    target = _display_size(image.size)
    try:
        image.draft(None, target)  # JPEG only: decode at 1/2, 1/4 or 1/8 scale
        _check_decode_cost(image.mode, image.size, label)
        image.load()
    except EvidenceRejected:
        raise
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None
    orientation = image.getexif().get(0x0112, 1)
    reduced = _to_eight_bit(image)
    if reduced.mode not in _REDUCED_MODES:
        reduced = reduced.convert("RGBA" if reduced.has_transparency_data else "RGB")
    reduced.thumbnail(target, Image.Resampling.LANCZOS)
    return _fresh(_upright(reduced, orientation))


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    transpose = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)
    return image.transpose(transpose) if transpose is not None else image


def _fresh(image: Image.Image) -> Image.Image:
    """A new image from the pixels alone: nothing of the original's metadata comes along."""
    mode = "RGBA" if image.has_transparency_data else "RGB"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _heic_display_copy(stored, label: str, deadline: float) -> tuple[int, int, Image.Image]:
    """Decode a HEIC photo in a child process (heic_decoder.py), which returns the display copy.

    The header's dimensions are checked here first, without decoding. libheif needs about 4.5
    bytes a pixel (225 MB for 50 megapixels) and cannot be stopped part-way, so it runs where a
    memory ceiling and a CPU-time limit can stop it, and the web worker only ever holds the
    display-sized copy. libheif applies the photo's rotation itself.
    """
    content = stored.read()
    try:
        heif = pillow_heif.open_heif(io.BytesIO(content), convert_hdr_to_8bit=True)
        size, mode = heif.size, heif.mode
        del heif
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None
    # The pixel limit is the decoding budget here: the child's own ceiling protects the worker.
    _check_pixels(size, label)
    if mode not in ("RGB", "RGBA"):
        raise EvidenceRejected("damaged", name=label)
    command = [
        sys.executable,
        "-I",
        str(_HEIC_DECODER),
        str(settings.EVIDENCE_DISPLAY_MAX_SIDE),
        str(settings.EVIDENCE_MAX_PIXELS * 4),
        str(settings.EVIDENCE_CHECK_MAX_SECONDS),
    ]
    try:
        decoded = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
            command,
            input=content,
            capture_output=True,
            # None of the worker's environment (secret key, database address) goes to the decoder.
            env=_HEIC_DECODER_ENV,
            # The child's own CPU limit is the real bound; this one only catches a stuck child.
            timeout=_HEIC_WALL_SECONDS_PER_CPU_SECOND * settings.EVIDENCE_CHECK_MAX_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise EvidenceRejected("too_slow", name=label) from None
    if decoded.returncode == 4 or decoded.returncode == -signal.SIGXCPU or decoded.returncode == -signal.SIGKILL:
        raise EvidenceRejected("too_slow", name=label)
    if decoded.returncode == 3:
        raise EvidenceRejected("image_too_costly", name=label)
    if decoded.returncode != 0:
        raise EvidenceRejected("damaged", name=label)
    first_line, _, png = decoded.stdout.partition(b"\n")
    width, height = (int(number) for number in first_line.split())
    with Image.open(io.BytesIO(png), formats=["PNG"]) as sampled:
        sampled.load()
        sampled.thumbnail(_display_size((width, height)), Image.Resampling.LANCZOS)
        return width, height, _fresh(sampled)


def _to_eight_bit(image: Image.Image) -> Image.Image:
    """16-bit greyscale would otherwise clip to white when converted to RGB."""
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image


# --- PDFs ------------------------------------------------------------------------------------


def _check_pdf(path: str, label: str, deadline: float) -> None:
    """A PDF must open, be readable without a password, have pages and contain nothing that runs.

    The work is bounded: the number of objects is counted before any is read, every compressed
    stream is inflated only to count its bytes (never kept) up to a budget for the whole file,
    pypdf's own decoding is capped per stream, and the walk stops at the deadline.
    """
    per_stream = settings.EVIDENCE_PDF_MAX_DECODED_BYTES
    limits = {
        "zlib_maximum_output_length": per_stream,
        "lzw_maximum_output_length": per_stream,
        "run_length_maximum_output_length": per_stream,
        "array_based_stream_maximum_output_length": per_stream,
        "stream_decoding_work_maximum_length": per_stream,
        "maximum_declared_stream_length": settings.EVIDENCE_MAX_BYTES,
    }
    with default_storage.open(path, "rb") as stored:
        if _pdf_declared_objects(stored.read()) > settings.EVIDENCE_PDF_MAX_OBJECTS:
            raise EvidenceRejected("pdf_too_complex", name=label)
        stored.seek(0)
    with default_storage.open(path, "rb") as stored, apply_configuration(**limits):
        reader = _open_pdf(stored, label)
        try:
            active = _pdf_scan(reader, label, deadline)
        except EvidenceRejected:
            raise
        except LimitReachedError:
            raise EvidenceRejected("pdf_too_much_data", name=label) from None
        except Exception:
            raise EvidenceRejected("damaged", name=label) from None
    if active:
        raise EvidenceRejected("pdf_scripts", name=label)


def _open_pdf(stored, label: str) -> PdfReader:
    try:
        reader = PdfReader(stored, strict=False)
        if _pdf_object_count(reader) > settings.EVIDENCE_PDF_MAX_OBJECTS:
            raise EvidenceRejected("pdf_too_complex", name=label)
        if reader.is_encrypted:
            _unlock_pdf(reader, label)
        if len(reader.pages) == 0:
            raise EvidenceRejected("damaged", name=label)
        return reader
    except EvidenceRejected:
        raise
    except LimitReachedError:
        raise EvidenceRejected("pdf_too_much_data", name=label) from None
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None


def _pdf_declared_objects(content: bytes) -> int:
    """How many objects the file says it has, read from its bytes before pypdf parses any.

    The larger of the objects written out ("12 0 obj"), the cross-reference size (/Size) and the
    objects packed in object streams (/N): reading a table of 180,000 objects is itself seconds.
    """
    written = len(_PDF_OBJECT_HEADER.findall(content))
    sizes = [int(size) for size in _PDF_SIZE.findall(content)]
    packed = sum(int(count) for count in _PDF_PACKED.findall(content))
    return max(written, max(sizes, default=0), packed)


def _pdf_object_count(reader: PdfReader) -> int:
    return sum(len(numbers) for numbers in reader.xref.values()) + len(reader.xref_objStm)


def _unlock_pdf(reader: PdfReader, label: str) -> None:
    """Many PDFs are 'encrypted' with an empty password just to restrict printing; those are fine."""
    try:
        unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:
        unlocked = False  # e.g. AES without the optional crypto library: we cannot read it either
    if not unlocked:
        raise EvidenceRejected("encrypted", name=label)


def _pdf_scan(reader: PdfReader, label: str, deadline: float) -> bool:
    """Walk every object reachable from the trailer and every numbered object, looking for code.

    This covers catalogue /Names /JavaScript, /OpenAction and /AA actions, and annotation actions,
    wherever they are nested. On the way every stream's decoded size is counted. Too many objects,
    too much data or too long is refused rather than skipped.
    """
    stack: list = [reader.trailer, *_pdf_numbered_objects(reader)]
    seen: set[tuple[int, int]] = set()
    visited = 0
    budget = _DecodeBudget(settings.EVIDENCE_PDF_MAX_DECODED_BYTES, label)
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, DictionaryObject | ArrayObject):
            visited += 1
            if visited > _PDF_MAX_NODES:
                raise EvidenceRejected("pdf_too_complex", name=label)
            if visited % 256 == 0 and time.thread_time() > deadline:
                raise EvidenceRejected("too_slow", name=label)
        if isinstance(node, DictionaryObject):
            if _pdf_dict_is_active(node):
                return True
            if isinstance(node, StreamObject):
                budget.spend_on(node)
                if time.thread_time() > deadline:
                    raise EvidenceRejected("too_slow", name=label)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


class _DecodeBudget:
    """Counts the bytes a file's streams decode to, without keeping them, up to a limit."""

    def __init__(self, limit: int, label: str):
        self.left = limit
        self.label = label

    def spend_on(self, stream: StreamObject) -> None:
        filters = stream.get("/Filter")
        if isinstance(filters, IndirectObject):
            filters = filters.get_object()
        names = [str(f) for f in filters] if isinstance(filters, ArrayObject) else [str(filters or "")]
        raw = getattr(stream, "_data", b"") or b""
        if names and names[0] in ("/FlateDecode", "/Fl"):
            self._spend(self._inflated_size(raw))
        elif names and names[0] in _PDF_MEMORY_FILTERS:
            self._spend(len(stream.get_data()))  # bounded per stream by pypdf's configured limits
        else:
            self._spend(len(raw))  # images (JPEG, JPEG 2000, fax) are not decoded to check them

    def _spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise EvidenceRejected("pdf_too_much_data", name=self.label)

    def _inflated_size(self, raw: bytes) -> int:
        """Inflate a megabyte at a time, throwing each away, and stop once past the budget."""
        inflater = zlib.decompressobj()
        total = 0
        pending = raw
        try:
            while pending and not inflater.eof:
                total += len(inflater.decompress(pending, _INFLATE_STEP))
                if total > self.left:
                    return total
                pending = inflater.unconsumed_tail
        except zlib.error:
            pass  # a damaged stream: readers show what comes before the damage, and so do we count
        return total


def _pdf_numbered_objects(reader: PdfReader) -> list[IndirectObject]:
    """Objects listed in the cross-reference tables, including ones nothing links to."""
    refs = [
        IndirectObject(idnum, generation, reader) for generation, numbers in reader.xref.items() for idnum in numbers
    ]
    refs.extend(IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm)
    return refs


def _pdf_dict_is_active(node: DictionaryObject) -> bool:
    if any(str(key) in _PDF_ACTIVE_KEYS for key in node.keys()):
        return True
    action = node.get("/S")
    if isinstance(action, IndirectObject):
        action = action.get_object()
    return isinstance(action, NameObject) and str(action) in _PDF_ACTIVE_ACTIONS
