"""An upload handler that keeps every uploaded file in memory and never spills to a temp file.

Django's default handlers write files over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file;
a plaintext attachment there would survive on disk. This handler refuses instead: a file over
the limit is skipped (the form says so), and a body far over all limits is not read at all.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload


def _rejections(request) -> list[str]:
    if not hasattr(request, "upload_rejections"):
        request.upload_rejections = []
    return request.upload_rejections


class MemoryOnlyUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        limit = settings.ATTACHMENT_MAX_BYTES * max(1, settings.ATTACHMENT_MAX_COUNT) + (
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if content_length and content_length > limit:
            _rejections(self.request).append("body_too_large")
            raise StopUpload(connection_reset=False)
        return None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > settings.ATTACHMENT_MAX_BYTES:
            self.buffer = io.BytesIO()
            _rejections(self.request).append("file_too_large")
            raise SkipFile()
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if not self.file_name:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
