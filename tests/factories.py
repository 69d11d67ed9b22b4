"""Small builders for test data, so tests state only what matters to them."""

import io
from datetime import date

from PIL import Image

from complaints.models import Authority, AuthorityKind, Councillor, SocialMediaAccount
from guidance.models import Clause, CodeOfConduct

CLAUSES = [
    ("1", "Respect", "Treating people with respect"),
    ("2", "Bullying, harassment and discrimination", "No bullying, harassment or discrimination"),
    ("4", "Confidentiality and access to information", "Keeping confidential information confidential"),
    ("5", "Disrepute", "Not bringing the role or the council into disrepute"),
]


def make_district(name="Northmoor District Council", slug="northmoor") -> Authority:
    return Authority.objects.create(name=name, slug=slug, kind=AuthorityKind.DISTRICT, nation="ENG")


def make_parish(parent: Authority, name="Ashby Lane Parish Council", slug="ashby-lane") -> Authority:
    return Authority.objects.create(name=name, slug=slug, kind=AuthorityKind.PARISH, nation="ENG", parent=parent)


def make_councillor(authority: Authority, name="Jo Bloggs", **fields) -> Councillor:
    fields.setdefault("term_start", date(2023, 5, 4))
    fields.setdefault("ward", "Central")
    fields.setdefault("party", "Independent")
    councillor = Councillor.objects.create(authority=authority, name=name, **fields)
    SocialMediaAccount.objects.create(
        councillor=councillor, platform="x", handle=f"@{name.replace(' ', '').lower()}", presents_as_councillor=True
    )
    return councillor


def make_code(
    authority: Authority | None,
    *,
    slug="northmoor-code-2021",
    effective_from=date(2021, 5, 20),
    effective_to=None,
    title="Northmoor District Council Code of Conduct",
) -> CodeOfConduct:
    code = CodeOfConduct.objects.create(
        slug=slug, title=title, authority=authority, effective_from=effective_from, effective_to=effective_to
    )
    for position, (number, heading, hint) in enumerate(CLAUSES):
        Clause.objects.create(
            code=code, number=number, heading=heading, text=f"{heading} text.", plain_english=hint, position=position
        )
    return code


def png_bytes(size=(400, 300), colour=(200, 30, 30), *, exif_gps=False, orientation=None) -> bytes:
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    if exif_gps or orientation:
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
        if exif_gps:
            exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_gps(size=(400, 300)) -> bytes:
    return png_bytes(size, exif_gps=True, orientation=6)


def noisy_png(megabytes: float, seed: int = 1) -> bytes:
    """A PNG of roughly the given size: random pixels do not compress."""
    import os
    import random

    side = int((megabytes * 1024 * 1024 / 3) ** 0.5)
    rng = random.Random(seed)
    raw = rng.randbytes(side * side * 3) if hasattr(rng, "randbytes") else os.urandom(side * side * 3)
    image = Image.frombytes("RGB", (side, side), raw)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
