"""The document engine: letters and notices rendered to HTML, then to tagged PDF with WeasyPrint.

`letters` gathers what each letter says from the case (and nothing the reader may not see),
`rendering` turns it into HTML and PDF, and `fetcher` is the only way a PDF can pull in an image
or stylesheet: the project's own static files and the case's own evidence display copies.
"""

import weasyprint  # noqa: F401  (imported first so the setting below is not undone by it)
from PIL import ImageFile

# WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported. Evidence
# checks rely on Pillow refusing a truncated image, and the letters only embed our own complete
# display copies, so it is turned back off here, before any letter module is used.
ImageFile.LOAD_TRUNCATED_IMAGES = False
