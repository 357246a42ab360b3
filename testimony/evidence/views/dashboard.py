"""dashboard (evidence): being written; see the module owner's commit."""

urlpatterns: list = []
