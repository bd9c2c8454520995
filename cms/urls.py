from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from honeycomb.api import api as honeycomb_api
from pulse.api import api as pulse_api

from . import views

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz/", views.health, name="health"),
    path("api/v1/pulse/", pulse_api.urls),
    path("api/v1/", honeycomb_api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("cms.account_urls")),
    path("", include("scan.urls")),
    path("", include("honeycomb.urls")),
    path("", include("actions.urls")),
    path("", include("pulse.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if getattr(settings, "KLANTRAAT_BENCH_FLOOR", False):
    from django.views.decorators.csrf import csrf_exempt

    # Before the page catch-all, which would otherwise answer this path.
    urlpatterns.insert(0, path("bench/floor/<str:token>/", csrf_exempt(views.bench_floor)))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
