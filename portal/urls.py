from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import account_views, admin_views, bench, views

# The admin logs in through allauth, so two-factor and rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Learning Portal administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("curriculum.urls")),
    path("", include("progress.urls")),
    path("practice/", include("quizzes.urls")),
    path("admin/markdown-preview/", admin_views.markdown_preview, name="markdown_preview"),
    path("admin/", admin.site.urls),
    path("accounts/profile/", account_views.profile, name="account_profile"),
    path("accounts/delete/", account_views.delete, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    # allauth's spec of its headless API, in the same local Swagger UI as ours (no CDN, CSP-clean).
    path(
        "_allauth/openapi.html",
        SpectacularSwaggerSplitView.as_view(
            url_name="headless:openapi_json", title="Learning Portal accounts API (allauth)"
        ),
        name="headless-api-docs",
    ),
    path("_allauth/", include("allauth.headless.urls")),  # the accounts API for the mobile apps
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

if settings.BENCH_VIEWS:  # the benchmarks' ceiling (bench/README.md); off in production
    urlpatterns.append(path("bench/ceiling/", bench.ceiling, name="bench-ceiling"))

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
