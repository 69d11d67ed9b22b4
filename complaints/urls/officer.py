from django.urls import path

from complaints.views.officer import dashboard, messages

app_name = "officer"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("new/", dashboard.new_cases, name="new_cases"),
    path("assign/", dashboard.assign, name="assign"),
    path("duplicates/", dashboard.duplicates, name="duplicates"),
    path("duplicates/link/", dashboard.duplicates_link, name="duplicates_link"),
    path("duplicates/dismiss/", dashboard.duplicates_dismiss, name="duplicates_dismiss"),
    path("messages/failed/", messages.failed, name="failed_messages"),
    path("messages/<uuid:public_id>/retry/", messages.retry, name="message_retry"),
]
