"""Views the admin uses besides Django's own: the Markdown preview behind MarkdownPreviewWidget."""

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .markdown import render_markdown

MARKDOWN_PREVIEW_MAX_BYTES = 100 * 1024


@never_cache
@require_POST
def markdown_preview(request: HttpRequest) -> JsonResponse:
    """The sanitized HTML of the posted `text`, as the page will show it once saved."""
    if not admin.site.has_permission(request):
        return JsonResponse({"error": "Only staff can preview."}, status=403)
    text = request.POST.get("text", "")
    if len(text.encode()) > MARKDOWN_PREVIEW_MAX_BYTES:
        limit = MARKDOWN_PREVIEW_MAX_BYTES // 1024
        return JsonResponse({"error": f"Too long to preview (over {limit} KB)."}, status=400)
    return JsonResponse({"html": render_markdown(text)})
