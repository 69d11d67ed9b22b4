"""Public pages: the codes of conduct and the councils' social media guidance."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from guidance import selectors
from guidance.models import CodeOfConduct, GuidanceDocument


def index(request):
    today = timezone.localdate()
    return render(
        request,
        "public/guidance/index.html",
        {
            "model_codes": selectors.model_codes(),
            "adopted_codes": selectors.adopted_codes_in_force(on=today),
            "documents": selectors.guidance_documents(),
        },
    )


def code_detail(request, slug):
    code = get_object_or_404(CodeOfConduct.objects.select_related("authority", "based_on"), slug=slug)
    return render(
        request,
        "public/guidance/code.html",
        {
            "code": code,
            "clauses": selectors.clauses_for(code),
            "versions": selectors.code_versions(code),
            "today": timezone.localdate(),
        },
    )


def document_detail(request, slug):
    document = get_object_or_404(GuidanceDocument, slug=slug)
    return render(
        request,
        "public/guidance/document.html",
        {"document": document, "sections": selectors.document_sections(document)},
    )
