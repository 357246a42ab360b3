from django.urls import path

from testimony.intake import api

urlpatterns = [
    path("challenges/", api.ChallengeCreateApi.as_view(), name="api-challenge"),
    path("submissions/", api.SubmissionCreateApi.as_view(), name="api-submission-create"),
    path("uploads/", api.UploadCreateApi.as_view(), name="api-upload-create"),
    path("uploads/<uuid:upload_id>/", api.UploadChunkApi.as_view(), name="api-upload-chunk"),
    path("followup/", api.FollowUpApi.as_view(), name="api-followup"),
    path("followup/replies/", api.FollowUpReplyApi.as_view(), name="api-followup-reply"),
]
