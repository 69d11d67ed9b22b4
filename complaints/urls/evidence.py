from django.urls import path

from complaints.views import evidence

app_name = "evidence"

urlpatterns = [
    path("<uuid:public_id>/original/", evidence.original, name="original"),
    path("<uuid:public_id>/display/", evidence.display, name="display"),
]
