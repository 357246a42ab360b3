"""Input and output shapes of the submission API (shape only; rules live in services)."""

from __future__ import annotations

import base64
import binascii

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class Base64Field(serializers.CharField):
    default_error_messages = {"invalid_base64": _("Not valid base64.")}

    def to_internal_value(self, data: object) -> bytes:
        text = super().to_internal_value(data)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self.fail("invalid_base64")


class ProofOfWorkSerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=400)
    nonce = serializers.CharField(max_length=20)


class UploadClaimSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    token = serializers.CharField(max_length=100)


class SubmissionCreateInput(serializers.Serializer):
    pow = ProofOfWorkSerializer()
    ciphertext = Base64Field(
        required=False,
        help_text="The report, padded JSON encrypted with age to the intake recipient, base64-encoded.",
    )
    report = serializers.DictField(
        required=False, help_text="The report as JSON (version 1); the server encrypts it on receipt."
    )
    attachments = UploadClaimSerializer(many=True, required=False, default=list)

    def validate(self, attrs: dict) -> dict:
        if ("ciphertext" in attrs) == ("report" in attrs):
            raise serializers.ValidationError(_("Send either the encrypted report or the report, not both."))
        if "report" in attrs and attrs["attachments"]:
            raise serializers.ValidationError(_("Attachments need a client-encrypted report."))
        return attrs


class SubmissionCreateOutput(serializers.Serializer):
    receipt = serializers.CharField(help_text="Twenty digits in groups of four. Shown once; not recoverable.")
    status = serializers.CharField()


class ChallengeOutput(serializers.Serializer):
    challenge = serializers.CharField()
    difficulty = serializers.IntegerField()


class UploadCreateInput(serializers.Serializer):
    pow = ProofOfWorkSerializer()
    size = serializers.IntegerField(
        min_value=1, help_text="Size in bytes of the attachment's age ciphertext."
    )


class UploadCreateOutput(serializers.Serializer):
    id = serializers.UUIDField()
    token = serializers.CharField()
    chunk_size = serializers.IntegerField()


class UploadStatusOutput(serializers.Serializer):
    size = serializers.IntegerField()
    received = serializers.IntegerField()


class ReceiptInput(serializers.Serializer):
    receipt = serializers.CharField(max_length=64)


class ThreadMessageOutput(serializers.Serializer):
    from_submitter = serializers.BooleanField()
    text = serializers.CharField()
    sent_on = serializers.DateField()


class FollowUpOutput(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_on = serializers.DateField()
    reply_recipient = serializers.CharField()
    messages = ThreadMessageOutput(many=True)


class ReplyInput(serializers.Serializer):
    receipt = serializers.CharField(max_length=64)
    text = serializers.CharField(required=False, max_length=100_000)
    ciphertext = Base64Field(required=False)

    def validate(self, attrs: dict) -> dict:
        if ("ciphertext" in attrs) == ("text" in attrs):
            raise serializers.ValidationError(_("Send either the text or its ciphertext."))
        return attrs
