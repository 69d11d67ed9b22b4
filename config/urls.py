from django.contrib import admin
from django.urls import include, path

from complaints.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("guidance/", include("guidance.urls")),
    path("complain/", include("complaints.urls.public")),
    path("decisions/", include("complaints.urls.register")),
    path("check-your-complaint/", include("complaints.urls.complaint_status")),
    path("evidence/", include("complaints.urls.evidence")),
    path("officer/", include("complaints.urls.officer")),
    path("admin/", admin.site.urls),
]

handler400 = "complaints.views.errors.bad_request"
handler403 = "complaints.views.errors.permission_denied"
handler404 = "complaints.views.pages.not_found"
handler500 = "complaints.views.pages.server_error"
