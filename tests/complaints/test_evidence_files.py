"""Evidence files: originals kept byte for byte, clean display copies, and refusals that name the file."""

import hashlib
import io
import json
import re
import zlib

import imagehash
import pillow_heif
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import ExifTags, Image, ImageDraw
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from complaints.forms.public import ACCEPTED_FILES, EvidenceUploadForm
from complaints.services import evidence_files
from complaints.services.evidence_files import (
    EvidenceRejected,
    StoredFile,
    evidence_file_discard,
    evidence_file_store,
)

# --- building test files -----------------------------------------------------------------------


def picture(size=(320, 200), colour=(200, 60, 40)) -> Image.Image:
    """A picture with structure, so perceptual hashes mean something."""
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    width, height = size
    for x in range(0, width, 8):
        draw.line([(x, 0), (x, height)], fill=(x * 255 // width, 120, 255 - x * 255 // width), width=8)
    draw.rectangle([width // 5, height // 5, width // 2, height // 2], fill=colour)
    draw.ellipse([width // 2, height // 3, width - 10, height - 10], fill=(20, 20, 20))
    return image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def noisy_png(size=(200, 200)) -> bytes:
    # Noise does not compress, so cutting the file in half really loses image data.
    import random

    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3))
    return encode(Image.frombytes("RGB", size, data), "PNG")


def jpeg_with_metadata(orientation=6) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Phone Co"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 40.0),
    }
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    return encode(picture((300, 200)), "JPEG", exif=exif.tobytes(), xmp=xmp, comment=b"taken at home", quality=95)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims enormous dimensions: a decompression bomb's calling card."""
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def clean_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_by_hand(catalogue_extra: bytes = b"", page_extra: bytes = b"") -> bytes:
    """A minimal PDF with a correct cross-reference table, so only the thing under test is odd."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalogue_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page_extra + b" >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


def pdf_with_link_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): _rect(),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            ),
        }
    )
    writer.add_annotation(0, annotation)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _rect():
    from pypdf.generic import ArrayObject, NumberObject

    return ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)])


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def read_stored(path: str) -> bytes:
    with default_storage.open(path, "rb") as handle:
        return handle.read()


def open_display(stored: StoredFile) -> Image.Image:
    image = Image.open(io.BytesIO(read_stored(stored.display_path)))
    image.load()
    return image


# --- keeping what was uploaded -------------------------------------------------------------------


def test_it_keeps_the_original_bytes_unchanged_under_a_server_name():
    data = jpeg_with_metadata()

    stored = evidence_file_store(upload=upload("../../etc/screenshot.jpg", data))

    assert read_stored(stored.original_path) == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.original_path == f"evidence/originals/{stored.token}.jpg"
    assert stored.display_path == f"evidence/display/{stored.token}.png"
    assert stored.original_name == "screenshot.jpg"
    assert len(stored.token) == 32


def test_it_hashes_a_large_upload_that_django_spooled_to_disk():
    data = noisy_png((700, 700))
    spooled = TemporaryUploadedFile("big.png", "image/png", len(data), None)
    spooled.write(data)
    spooled.seek(0)

    stored = evidence_file_store(upload=spooled)

    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert read_stored(stored.original_path) == data
    spooled.close()


def test_it_decides_the_type_from_the_bytes_not_the_name():
    data = encode(picture(), "JPEG")

    stored = evidence_file_store(upload=upload("post.png", data))

    assert stored.content_type == "image/jpeg"
    assert stored.original_path.endswith(".jpg")


@pytest.mark.parametrize(
    ("fmt", "content_type", "options"),
    [
        ("PNG", "image/png", {}),
        ("JPEG", "image/jpeg", {}),
        ("WEBP", "image/webp", {"quality": 90}),
        ("GIF", "image/gif", {}),
    ],
)
def test_it_accepts_each_image_type(fmt, content_type, options):
    data = encode(picture((320, 200)), fmt, **options)

    stored = evidence_file_store(upload=upload(f"evidence.{fmt.lower()}", data))

    assert stored.content_type == content_type
    assert (stored.width, stored.height) == (320, 200)
    assert len(stored.perceptual_hash) == 16
    assert open_display(stored).format == "PNG"


def test_it_accepts_heic_from_an_iphone():
    pillow_heif.register_heif_opener()
    try:
        data = encode(picture((320, 200)), "HEIF", quality=90)
    except Exception as exc:  # pragma: no cover - depends on the libheif build
        pytest.skip(f"pillow-heif cannot write HEIC here: {exc}")

    stored = evidence_file_store(upload=upload("IMG_0001.HEIC", data))

    assert stored.content_type == "image/heic"
    assert (stored.width, stored.height) == (320, 200)
    assert open_display(stored).size == (320, 200)


def test_it_accepts_a_clean_pdf_without_a_display_copy():
    data = clean_pdf()

    stored = evidence_file_store(upload=upload("letter.pdf", data))

    assert stored.content_type == "application/pdf"
    assert stored.display_path == ""
    assert stored.perceptual_hash == ""
    assert stored.width is None and stored.height is None
    assert read_stored(stored.original_path) == data


def test_it_accepts_a_pdf_locked_only_against_printing():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    stored = evidence_file_store(upload=upload("restricted.pdf", buffer.getvalue()))

    assert stored.content_type == "application/pdf"


# --- the display copy ----------------------------------------------------------------------------


def test_display_copy_has_no_exif_gps_xmp_or_comments():
    stored = evidence_file_store(upload=upload("photo.jpg", jpeg_with_metadata()))

    display = open_display(stored)

    assert display.format == "PNG"
    assert len(display.getexif()) == 0
    assert not any(key in display.info for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"))
    raw = read_stored(stored.display_path)
    assert b"Phone Co" not in raw and b"xmpmeta" not in raw and b"taken at home" not in raw


def test_display_copy_is_turned_upright_from_the_orientation_tag():
    stored = evidence_file_store(upload=upload("photo.jpg", jpeg_with_metadata(orientation=6)))

    assert (stored.width, stored.height) == (300, 200)
    assert open_display(stored).size == (200, 300)


def test_display_copy_is_bounded_in_size(settings):
    settings.EVIDENCE_DISPLAY_MAX_SIDE = 400

    stored = evidence_file_store(upload=upload("wide.png", encode(picture((1000, 500)), "PNG")))

    assert (stored.width, stored.height) == (1000, 500)
    assert open_display(stored).size == (400, 200)


def test_display_copy_keeps_transparency():
    image = picture().convert("RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))

    stored = evidence_file_store(upload=upload("cut-out.png", encode(image, "PNG")))

    assert open_display(stored).mode == "RGBA"


def test_display_copy_of_an_animated_gif_is_the_first_frame():
    frames = [Image.new("RGB", (60, 40), (255, 0, 0)), Image.new("RGB", (60, 40), (0, 0, 255))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    stored = evidence_file_store(upload=upload("reaction.gif", data))

    assert open_display(stored).getpixel((30, 20)) == (255, 0, 0)


def test_perceptual_hash_is_the_same_for_the_same_image_re_encoded():
    image = picture((400, 300))

    as_png = evidence_file_store(upload=upload("one.png", encode(image, "PNG")))
    as_jpeg = evidence_file_store(upload=upload("two.jpg", encode(image, "JPEG", quality=95)))

    assert as_png.sha256 != as_jpeg.sha256
    assert as_png.perceptual_hash == as_jpeg.perceptual_hash
    assert as_png.perceptual_hash == str(imagehash.phash(image))


# --- refusals --------------------------------------------------------------------------------------


def refused(file) -> str:
    """The words the complainant reads when the service refuses ``file`` (the upload form's)."""
    with pytest.raises(EvidenceRejected) as caught:
        evidence_file_store(upload=file)
    assert caught.value.code in EvidenceUploadForm.MESSAGES
    return EvidenceUploadForm.refusal_message(caught.value)


def refusal(name: str, data: bytes) -> str:
    message = refused(upload(name, data))
    assert name in message
    return message


def test_every_reason_the_service_gives_has_its_words_in_the_upload_form():
    source = open(evidence_files.__file__, encoding="utf-8").read()
    # A refusal is a code-like word followed by the file's name: EvidenceRejected("empty", name=label).
    codes = set(re.findall(r'\(\s*(?:code=)?"([a-z_]+)",\s*(?:name=)?(?:self\.)?label\b', source))

    assert len(codes) >= 9, codes
    assert codes <= set(EvidenceUploadForm.MESSAGES), codes - set(EvidenceUploadForm.MESSAGES)
    assert not re.search(r"EvidenceRejected\(\s*f?['\"][^'\"]*\s", source), "a sentence in the service"


def test_it_refuses_an_empty_file(private_storage):
    assert refusal("blank.png", b"") == "blank.png is empty"
    assert stored_files(private_storage) == []


def test_it_refuses_a_file_over_the_size_limit(settings, private_storage):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024

    message = refusal("huge.png", encode(picture(), "PNG") + b"\x00" * (1024 * 1024))

    assert message == "huge.png must be smaller than 1MB"
    assert stored_files(private_storage) == []


def test_the_size_limit_is_checked_before_the_file_is_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read an oversized file")

        def chunks(self, *args):
            raise AssertionError("read an oversized file")

    big = Unreadable("big.pdf", b"%PDF-")
    big.size = 11 * 1024 * 1024

    assert refused(big) == "big.pdf must be smaller than 10MB"


def test_it_stops_writing_when_a_file_is_bigger_than_it_claimed(settings, private_storage):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    liar = upload("liar.png", noisy_png((700, 700)))
    liar.size = 1000

    assert refused(liar) == "liar.png must be smaller than 1MB"
    assert stored_files(private_storage) == []


def test_it_refuses_text_named_as_a_png(private_storage):
    message = refusal("notes.png", b"just some words, honestly an image")

    assert message == f"notes.png must be a {ACCEPTED_FILES}"
    assert stored_files(private_storage) == []


def test_it_refuses_a_program(private_storage):
    assert refusal("holiday.exe", b"MZ\x90\x00" + b"\x00" * 200) == f"holiday.exe must be a {ACCEPTED_FILES}"


def test_it_refuses_a_decompression_bomb(private_storage):
    message = refusal("bomb.png", png_claiming(50_000, 50_000))

    assert "too many pixels" in message
    assert stored_files(private_storage) == []


def test_it_refuses_an_image_over_the_pixel_limit(settings, private_storage):
    settings.EVIDENCE_MAX_PIXELS = 10_000

    message = refusal("big.png", encode(Image.new("RGB", (200, 200)), "PNG"))

    assert message == "big.png has too many pixels. Images must be no bigger than 0.01 million pixels"
    assert stored_files(private_storage) == []


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_it_refuses_a_truncated_image(fmt, private_storage):
    data = noisy_png() if fmt == "PNG" else encode(Image.open(io.BytesIO(noisy_png())), "JPEG")
    name = f"cut-off.{fmt.lower()}"

    message = refusal(name, data[: len(data) // 2])

    assert message == f"{name} could not be opened. It may be damaged or incomplete"
    assert stored_files(private_storage) == []


def test_it_refuses_a_png_with_a_broken_checksum(private_storage):
    data = bytearray(encode(picture(), "PNG"))
    data[40] ^= 0xFF

    assert "could not be opened" in refusal("tampered.png", bytes(data))
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("pdf-inside.png", encode(picture(), "PNG") + b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF"),
        ("script.jpg", encode(picture(), "JPEG", comment=b"<script>alert(1)</script>")),
        ("page.gif", encode(picture(), "GIF") + b"<HTML><body>hi</body></html>"),
        ("gif-pdf.pdf", b"GIF89a" + clean_pdf()),
        ("html-pdf.pdf", clean_pdf() + b"<html><script>alert(1)</script></html>"),
    ],
)
def test_it_refuses_polyglots(name, data, private_storage):
    message = refusal(name, data)

    assert message.startswith(f"{name} could not be safely read")
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("open-action.pdf", pdf_by_hand(catalogue_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
        ("page-action.pdf", pdf_by_hand(page_extra=b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>")),
        ("launch.pdf", pdf_by_hand(catalogue_extra=b"/OpenAction << /S /Launch /F (calc.exe) >>")),
        (
            "names.pdf",
            pdf_by_hand(catalogue_extra=b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>"),
        ),
        ("link.pdf", pdf_with_link_javascript()),
    ],
)
def test_it_refuses_pdfs_with_javascript(name, data, private_storage):
    message = refusal(name, data)

    assert message.startswith(f"{name} could not be safely read because it contains scripts")
    assert stored_files(private_storage) == []


def test_a_hand_made_pdf_without_scripts_is_accepted():
    stored = evidence_file_store(upload=upload("plain.pdf", pdf_by_hand()))

    assert stored.content_type == "application/pdf"


def test_it_refuses_a_corrupt_pdf(private_storage):
    message = refusal("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog")

    assert message == "broken.pdf could not be opened. It may be damaged or incomplete"
    assert stored_files(private_storage) == []


def test_it_refuses_a_password_protected_pdf(private_storage):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    message = refusal("locked.pdf", buffer.getvalue())

    assert message == "locked.pdf is password protected or encrypted. Remove the protection and upload it again"
    assert stored_files(private_storage) == []


def test_an_unexpected_failure_is_a_refusal_that_leaves_nothing_behind(monkeypatch, private_storage):
    def explode(image):
        raise RuntimeError("boom")

    monkeypatch.setattr(evidence_files.imagehash, "phash", explode)

    message = refusal("fine.png", encode(picture(), "PNG"))

    assert message == "fine.png could not be uploaded. Try again, or upload a different file"
    assert stored_files(private_storage) == []


def test_a_nameless_upload_is_called_the_selected_file():
    nameless = upload("x.png", b"")
    nameless._name = ""  # Django never allows this itself; a hand-built upload might

    assert refused(nameless) == "The selected file is empty"


def test_the_name_is_cleaned_for_display():
    data = encode(picture(), "PNG")

    named = upload("post.png", data)
    # Set directly: Django's own clean-up would otherwise hide what ours does.
    named._name = "C:\\Users\\me\\post\u202egnp.exe\n" + "x" * 300 + ".png"

    stored = evidence_file_store(upload=named)

    assert "\\" not in stored.original_name and "\u202e" not in stored.original_name
    assert "\n" not in stored.original_name
    assert len(stored.original_name) == 255
    assert stored.original_name.endswith(".png")


# --- staging and discarding ------------------------------------------------------------------------


def test_stored_file_round_trips_through_json():
    stored = evidence_file_store(upload=upload("post.png", encode(picture(), "PNG")))

    again = StoredFile.from_dict(json.loads(json.dumps(stored.as_dict())))

    assert again == stored


def test_stored_file_refuses_paths_it_did_not_generate():
    stored = evidence_file_store(upload=upload("post.png", encode(picture(), "PNG")))
    tampered = {**stored.as_dict(), "original_path": "../../config/settings.py"}

    with pytest.raises(ValueError):
        StoredFile.from_dict(tampered)


def test_discard_deletes_both_files_and_ignores_missing_ones(private_storage):
    stored = evidence_file_store(upload=upload("post.png", encode(picture(), "PNG")))
    assert len(stored_files(private_storage)) == 2

    evidence_file_discard(stored=stored)
    evidence_file_discard(stored=stored)

    assert stored_files(private_storage) == []
