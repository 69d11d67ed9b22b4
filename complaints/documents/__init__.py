"""The document engine: letters and notices rendered to HTML, then to tagged PDF with WeasyPrint.

`letters` gathers what each letter says from the case (and nothing the reader may not see),
`rendering` turns it into HTML and PDF, and `fetcher` is the only way a PDF can pull in an image
or stylesheet: the project's own static files and the case's own evidence display copies.
"""
