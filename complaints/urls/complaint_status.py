from django.urls import path

from complaints.views import complaint_status

app_name = "complaint_status"

urlpatterns = [
    path("", complaint_status.start, name="start"),
    path("sent/", complaint_status.sent, name="sent"),
    path("link/<str:token>/", complaint_status.link, name="link"),
    path("your-complaint/", complaint_status.status, name="status"),
]
