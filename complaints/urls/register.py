from django.urls import path

from complaints.views import register

app_name = "register"

urlpatterns = [
    path("", register.register, name="index"),
    path("<uuid:public_id>/", register.notice, name="notice"),
    path("<uuid:public_id>/notice.pdf", register.notice_pdf, name="notice_pdf"),
]
