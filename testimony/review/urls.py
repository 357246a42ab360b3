"""Console URLs of the review app, gathered from each views module (queue, report, cases, ...)."""

from testimony.review.views import cases, contact, queue, replies, report, routing, taxonomy

urlpatterns = [
    *queue.urlpatterns,
    *report.urlpatterns,
    *cases.urlpatterns,
    *taxonomy.urlpatterns,
    *contact.urlpatterns,
    *replies.urlpatterns,
    *routing.urlpatterns,
]
