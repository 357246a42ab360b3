"""The submission API, for the page's script and for partner intake apps."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from testimony.crypto.receipts import format_receipt
from testimony.intake import errors, pow, selectors, serializers, services


class OctetStreamParser(parsers.BaseParser):
    media_type = "application/octet-stream"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""


def _spend(pow_data: dict) -> None:
    pow.verify_and_spend(pow_data["challenge"], pow_data["nonce"])


class ChallengeCreateApi(APIView):
    @extend_schema(responses=serializers.ChallengeOutput, summary="Get a proof-of-work challenge")
    def get(self, request: Request) -> Response:
        challenge = pow.issue()
        return Response({"challenge": challenge.token, "difficulty": challenge.difficulty})


class SubmissionCreateApi(APIView):
    @extend_schema(
        request=serializers.SubmissionCreateInput,
        responses={201: serializers.SubmissionCreateOutput},
        summary="Submit a report (age ciphertext, or JSON that the server encrypts)",
    )
    def post(self, request: Request) -> Response:
        data = serializers.SubmissionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        _spend(data.validated_data["pow"])
        if "ciphertext" in data.validated_data:
            created = services.submission_create_encrypted(
                report_ciphertext=data.validated_data["ciphertext"],
                upload_claims=[
                    services.UploadClaim(upload_id=claim["id"], token=claim["token"])
                    for claim in data.validated_data["attachments"]
                ],
            )
        else:
            created = services.submission_create_from_report(
                report=data.validated_data["report"], attachments=[]
            )
        return Response(
            {"receipt": format_receipt(created.receipt), "status": created.submission.status},
            status=status.HTTP_201_CREATED,
        )


class UploadCreateApi(APIView):
    @extend_schema(
        request=serializers.UploadCreateInput,
        responses={201: serializers.UploadCreateOutput},
        summary="Start a resumable upload of an attachment's age ciphertext",
    )
    def post(self, request: Request) -> Response:
        data = serializers.UploadCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        _spend(data.validated_data["pow"])
        upload, token = services.upload_create(size=data.validated_data["size"])
        return Response(
            {"id": upload.id, "token": token, "chunk_size": settings.UPLOAD_CHUNK_BYTES},
            status=status.HTTP_201_CREATED,
        )


_TOKEN = OpenApiParameter("Upload-Token", str, OpenApiParameter.HEADER, required=True)
_OFFSET = OpenApiParameter("Upload-Offset", int, OpenApiParameter.HEADER, required=True)


class UploadChunkApi(APIView):
    parser_classes = [OctetStreamParser]

    def _token(self, request: Request) -> str:
        return request.headers.get("Upload-Token", "")

    @extend_schema(
        parameters=[_TOKEN], responses=serializers.UploadStatusOutput, summary="How much has arrived"
    )
    def get(self, request: Request, upload_id: UUID) -> Response:
        upload = selectors.upload_for_token(upload_id=upload_id, token=self._token(request))
        return Response({"size": upload.size, "received": upload.received})

    @extend_schema(
        parameters=[_TOKEN, _OFFSET],
        request={"application/octet-stream": bytes},
        responses=serializers.UploadStatusOutput,
        summary="Append a chunk of at most 1 MiB at the given offset",
    )
    def put(self, request: Request, upload_id: UUID) -> Response:
        try:
            offset = int(request.headers.get("Upload-Offset", ""))
        except ValueError:
            raise errors.UploadOffsetMismatch() from None
        upload = services.upload_append(
            upload_id=upload_id, token=self._token(request), offset=offset, data=request.data
        )
        return Response({"size": upload.size, "received": upload.received})


class FollowUpApi(APIView):
    @extend_schema(
        request=serializers.ReceiptInput, responses=serializers.FollowUpOutput, summary="Status and messages"
    )
    def post(self, request: Request) -> Response:
        data = serializers.ReceiptInput(data=request.data)
        data.is_valid(raise_exception=True)
        followup = selectors.followup_for_receipt(data.validated_data["receipt"])
        return Response(serializers.FollowUpOutput(followup).data)


class FollowUpReplyApi(APIView):
    @extend_schema(request=serializers.ReplyInput, responses={201: None}, summary="Reply or add information")
    def post(self, request: Request) -> Response:
        data = serializers.ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.message_from_submitter_create(
            receipt_text=data.validated_data["receipt"],
            text=data.validated_data.get("text"),
            ciphertext=data.validated_data.get("ciphertext"),
        )
        return Response(status=status.HTTP_201_CREATED)
