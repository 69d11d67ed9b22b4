from django.urls import path

from complaints.views.officer import case, dashboard

app_name = "officer"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("new/", dashboard.new_cases, name="new_cases"),
    path("assign/", dashboard.assign, name="assign"),
    path("duplicates/", dashboard.duplicates, name="duplicates"),
    path("duplicates/link/", dashboard.duplicates_link, name="duplicates_link"),
    path("duplicates/dismiss/", dashboard.duplicates_dismiss, name="duplicates_dismiss"),
    path("cases/<str:reference>/", case.case, name="case"),
    path("cases/<str:reference>/code/", case.case_code, name="case_code"),
]
