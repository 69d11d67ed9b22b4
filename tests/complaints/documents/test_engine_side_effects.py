"""Loading the PDF engine must not loosen the evidence checks of the rest of the process."""

from PIL import ImageFile


def test_loading_the_pdf_engine_leaves_pillow_refusing_truncated_images():
    import complaints.documents.rendering  # noqa: F401  (imports WeasyPrint)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
