from django.urls import include, path

from complaints.urls import letters as letters_urls
from complaints.views.officer import (
    actions,
    case,
    clocks,
    dashboard,
    intake,
    letters,
    messages,
    notices,
    reports,
    signin,
    tools,
)

app_name = "officer"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("new/", dashboard.new_cases, name="new_cases"),
    path("assign/", dashboard.assign, name="assign"),
    path("duplicates/", dashboard.duplicates, name="duplicates"),
    path("duplicates/link/", dashboard.duplicates_link, name="duplicates_link"),
    path("duplicates/dismiss/", dashboard.duplicates_dismiss, name="duplicates_dismiss"),
    path("cases/<str:reference>/", case.case, name="case"),
    path("cases/<str:reference>/evidence/", case.case_evidence, name="case_evidence"),
    path("cases/<str:reference>/timeline/", case.case_timeline, name="case_timeline"),
    path("cases/<str:reference>/code/", case.case_code, name="case_code"),
    path("cases/<str:reference>/actions/<str:action>/", actions.action, name="case_action"),
    path("cases/<str:reference>/consultation/", intake.consultation, name="consultation"),
    path("cases/<str:reference>/complainants/restrict/", intake.restrict_complainant, name="restrict_complainant"),
    path("cases/<str:reference>/clocks/<int:deadline_id>/pause/", clocks.pause, name="clock_pause"),
    path("cases/<str:reference>/clocks/<int:deadline_id>/resume/", clocks.resume, name="clock_resume"),
    path("cases/<str:reference>/decisions/<uuid:decision_id>/notice/", notices.notice, name="decision_notice"),
    path(
        "cases/<str:reference>/decisions/<uuid:decision_id>/notice/statement/",
        notices.statement,
        name="decision_notice_statement",
    ),
    path(
        "cases/<str:reference>/decisions/<uuid:decision_id>/notice/publish/",
        notices.publish,
        name="decision_notice_publish",
    ),
    path(
        "cases/<str:reference>/decisions/<uuid:decision_id>/notice/withdraw/",
        notices.withdraw,
        name="decision_notice_withdraw",
    ),
    path("login/", signin.login, name="login"),
    path("login/code/", signin.verify, name="verify"),
    path("login/set-up-app/", signin.enrol, name="enrol"),
    path("backup-codes/", signin.backup_codes, name="backup_codes"),
    path("backup-codes/new/", signin.backup_codes_replace, name="backup_codes_replace"),
    path("reauthenticate/", signin.reauthenticate, name="reauthenticate"),
    path("logout/", signin.logout, name="logout"),
    path("takedowns/overdue/", letters.takedowns_overdue, name="takedowns_overdue"),
    path("cases/<str:reference>/letters/", include(letters_urls.urlpatterns)),
    path("tools/working-days/", tools.working_days, name="working_days"),
    path("messages/failed/", messages.failed, name="failed_messages"),
    path("messages/<uuid:public_id>/retry/", messages.retry, name="message_retry"),
    path("reports/", reports.reports, name="reports"),
    path("reports/<uuid:run_id>/", reports.report_status, name="report_status"),
    path("reports/<uuid:run_id>/publish/", reports.report_publish_view, name="report_publish"),
    path("reports/<uuid:run_id>/csv/", reports.report_csv_download, name="report_csv"),
    path("reports/documents/<uuid:document_id>/", reports.report_download, name="report_download"),
]
