from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("", views.index, name="index"),
    path("code/<slug:slug>/", views.code_detail, name="code"),
    path("social-media/<slug:slug>/", views.document_detail, name="document"),
]
