from django.urls import path

from complaints.views import public

app_name = "complain"

urlpatterns = [
    path("", public.start, name="start"),
    path("about-you/", public.about, name="about"),
    path("council/", public.council, name="council"),
    path("councillors/", public.councillors, name="councillors"),
    path("posts/", public.posts, name="posts"),
    path("posts/add/", public.post_edit, name="post_add"),
    path("posts/<int:index>/", public.post_edit, name="post_edit"),
    path("posts/<int:index>/remove/", public.post_remove, name="post_remove"),
    path("code/", public.clauses, name="clauses"),
    path("evidence/", public.evidence, name="evidence"),
    path("evidence/<str:token>/remove/", public.evidence_remove, name="evidence_remove"),
    path("evidence/<str:token>/thumbnail/", public.evidence_thumbnail, name="evidence_thumbnail"),
    path("outcome/", public.outcome, name="outcome"),
    path("check/", public.check, name="check"),
    path("confirmation/", public.confirmation, name="confirmation"),
    path("delete-answers/", public.delete_answers, name="delete"),
    path("answers-deleted/", public.answers_deleted, name="deleted"),
    path("answers-cleared/", public.answers_cleared, name="cleared"),
]
