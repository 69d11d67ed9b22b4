from django.urls import include, path

from complaints.urls import letters as letters_urls
from complaints.views.officer import dashboard, letters, reports

app_name = "officer"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("new/", dashboard.new_cases, name="new_cases"),
    path("assign/", dashboard.assign, name="assign"),
    path("duplicates/", dashboard.duplicates, name="duplicates"),
    path("duplicates/link/", dashboard.duplicates_link, name="duplicates_link"),
    path("duplicates/dismiss/", dashboard.duplicates_dismiss, name="duplicates_dismiss"),
    path("takedowns/overdue/", letters.takedowns_overdue, name="takedowns_overdue"),
    path("cases/<str:reference>/letters/", include(letters_urls.urlpatterns)),
    path("reports/", reports.reports, name="reports"),
    path("reports/<uuid:run_id>/", reports.report_status, name="report_status"),
    path("reports/<uuid:run_id>/publish/", reports.report_publish_view, name="report_publish"),
    path("reports/<uuid:run_id>/csv/", reports.report_csv_download, name="report_csv"),
    path("reports/documents/<uuid:document_id>/", reports.report_download, name="report_download"),
]
