from django.urls import path

from testimony.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.submit, name="submit"),
    path("followup/", views.followup, name="followup"),
    path("followup/reply/", views.followup_reply, name="followup_reply"),
]
