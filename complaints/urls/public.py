from django.urls import path

from complaints.views import public

app_name = "complain"

urlpatterns = [
    path("", public.start, name="start"),
]
