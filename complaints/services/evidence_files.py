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
import unicodedata
import uuid
import warnings
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime

import imagehash
import pillow_heif
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

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
    label = original_name
    token = uuid.uuid4().hex
    written: list[str] = []
    try:
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
        _check_pdf(original_path, label)
    else:
        display_path = f"{DISPLAY_DIR}{token}.{DISPLAY_EXTENSION}"
        written.append(display_path)
        width, height, perceptual_hash = _process_image(original_path, display_path, kind, label)
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


def _process_image(original_path: str, display_path: str, kind: _Kind, label: str) -> tuple[int, int, str]:
    """Prove the image decodes, then write the display copy. Returns width, height and phash."""
    _verify_image(original_path, kind, label)
    with default_storage.open(original_path, "rb") as stored:
        with _open_image(stored, kind, label) as image:
            width, height = image.size
            display = _display_copy(image)
    perceptual_hash = str(imagehash.phash(display))
    buffer = io.BytesIO()
    display.save(buffer, format="PNG")
    if default_storage.save(display_path, ContentFile(buffer.getvalue())) != display_path:
        raise RuntimeError("Storage renamed a server-generated display name.")
    return width, height, perceptual_hash


def _verify_image(path: str, kind: _Kind, label: str) -> None:
    """Pillow's structural check (e.g. PNG checksums); it leaves the image unusable, hence its own open."""
    with default_storage.open(path, "rb") as stored:
        with _open_image(stored, kind, label, decode=False) as image:
            try:
                image.verify()
            except Exception:
                raise EvidenceRejected("damaged", name=label) from None


def _open_image(stored, kind: _Kind, label: str, decode: bool = True) -> Image.Image:
    """Open with only the plugin the magic number named, refusing bombs before decoding anything."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stored, formats=[kind.pillow_formats[0]])
            if image.format not in kind.pillow_formats:
                raise EvidenceRejected("wrong_type", name=label)
            if image.width * image.height > settings.EVIDENCE_MAX_PIXELS:
                raise EvidenceRejected("too_many_pixels", name=label, limit=settings.EVIDENCE_MAX_PIXELS)
            if decode:
                image.load()
            return image
    except EvidenceRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceRejected("too_many_pixels", name=label, limit=settings.EVIDENCE_MAX_PIXELS) from None
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None


def _display_copy(image: Image.Image) -> Image.Image:
    """Upright, RGB(A), bounded, and built on a fresh image so no EXIF, GPS, XMP or ICC data survives.

    For an animated GIF or WebP this is the first frame, which is the one already loaded.
    """
    upright = ImageOps.exif_transpose(image) or image
    upright = _to_eight_bit(upright)
    mode = "RGBA" if upright.has_transparency_data else "RGB"
    converted = upright.convert(mode)
    clean = Image.frombytes(mode, converted.size, converted.tobytes())
    side = settings.EVIDENCE_DISPLAY_MAX_SIDE
    clean.thumbnail((side, side), Image.Resampling.LANCZOS)
    return clean


def _to_eight_bit(image: Image.Image) -> Image.Image:
    """16-bit greyscale would otherwise clip to white when converted to RGB."""
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image


# --- PDFs ------------------------------------------------------------------------------------


def _check_pdf(path: str, label: str) -> None:
    """A PDF must open, be readable without a password, have pages and contain nothing that runs."""
    with default_storage.open(path, "rb") as stored:
        reader = _open_pdf(stored, label)
        try:
            active = _pdf_has_active_content(reader)
        except Exception:
            raise EvidenceRejected("damaged", name=label) from None
    if active:
        raise EvidenceRejected("pdf_scripts", name=label)


def _open_pdf(stored, label: str) -> PdfReader:
    try:
        reader = PdfReader(stored, strict=False)
        if reader.is_encrypted:
            _unlock_pdf(reader, label)
        if len(reader.pages) == 0:
            raise EvidenceRejected("damaged", name=label)
        return reader
    except EvidenceRejected:
        raise
    except Exception:
        raise EvidenceRejected("damaged", name=label) from None


def _unlock_pdf(reader: PdfReader, label: str) -> None:
    """Many PDFs are 'encrypted' with an empty password just to restrict printing; those are fine."""
    try:
        unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:
        unlocked = False  # e.g. AES without the optional crypto library: we cannot read it either
    if not unlocked:
        raise EvidenceRejected("encrypted", name=label)


def _pdf_has_active_content(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer and every numbered object, looking for code.

    This covers catalogue /Names /JavaScript, /OpenAction and /AA actions, and annotation actions,
    wherever they are nested. Too many objects to check is treated as unsafe rather than skipped.
    """
    stack: list = [reader.trailer, *_pdf_numbered_objects(reader)]
    seen: set[tuple[int, int]] = set()
    visited = 0
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
                return True
        if isinstance(node, DictionaryObject):
            if _pdf_dict_is_active(node):
                return True
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


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
