"""The letters of a case, under /officer/cases/<reference>/letters/ (names in the officer namespace)."""

from django.urls import path

from complaints.views.officer import letters

urlpatterns = [
    path("", letters.index, name="letters"),
    path("documents/<uuid:document_id>/", letters.download, name="document_download"),
    path("takedowns/new/", letters.takedown_new, name="takedown_new"),
    path("takedowns/<uuid:takedown_id>/", letters.takedown, name="takedown"),
    path("takedowns/<uuid:takedown_id>/preview/", letters.takedown_preview, name="takedown_preview"),
    path("takedowns/<uuid:takedown_id>/send/", letters.takedown_send, name="takedown_send"),
    path("takedowns/<uuid:takedown_id>/removed/", letters.takedown_removed, name="takedown_removed"),
    path("<slug:kind>/<str:subject>/", letters.letter, name="letter"),
    path("<slug:kind>/<str:subject>/preview/", letters.preview, name="letter_preview"),
    path("<slug:kind>/<str:subject>/generate/", letters.generate, name="letter_generate"),
    path("<slug:kind>/<str:subject>/versions/<uuid:document_id>/send/", letters.send, name="letter_send"),
]
