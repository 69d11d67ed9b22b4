"""An upload handler that stops reading a request body once it passes the cap.

The middleware refuses a body whose declared length is over MAX_REQUEST_BODY_BYTES before it is
read; this handler is the second line for a body that turns out longer than it said while it
streams in. It runs first in FILE_UPLOAD_HANDLERS, so the handlers after it (memory, then a
temporary file) never see bytes past the cap, and Django closes, and so deletes, any temporary
file already begun.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

BODY_TOO_LARGE = "body_too_large"


class BodyLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        self.limit = settings.MAX_REQUEST_BODY_BYTES

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.refused_upload = BODY_TOO_LARGE
            # connection_reset: do not read the rest of the body either.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
