from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from core.permissions import organisation_member_required
from honeycomb.api import api as honeycomb_api
from pulse.api import api as pulse_api

from . import views

# The map of the site. Everything inside one organisation hangs under org/<slug:org>/, where
# membership is checked once, before any view runs (the view then checks the role it needs).
organisation_urlpatterns = decorate_urlpatterns(
    [
        # scan: the organisation's home, people, audit log, rounds/new/ and rounds/<pk>/…
        path("", include("scan.urls")),
        # honeycomb: a round's results, cells, compare, trend, workshop, exports, board pack
        path("rounds/<int:pk>/results/", include("honeycomb.urls")),
        # review: a round's results against its actions, summary and sign-off
        path("rounds/<int:pk>/review/", include("actions.review_urls")),
        # actions: the improvement cycle (actions, ambition, working group, dashboard, …)
        path("cycle/", include("actions.urls")),
        # pulse: the tenant pulse, partner scorecards and visit cards
        path("pulse/", include("pulse.urls")),
        # api_tokens: a coordinator's view of the organisation's API tokens
        path("api-tokens/", include("honeycomb.token_urls")),
    ],
    organisation_member_required,
)

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz/", views.health, name="health"),
    # sso: "log in with your organisation's account" and the identity provider's callback
    path("", include("sso.urls")),
    # core_webhooks: the mail service's delivery reports (bounces, complaints)
    path("webhooks/", include("core.webhook_urls")),
    # pulse_webhooks: the SMS provider's delivery receipts
    path("webhooks/", include("pulse.webhook_urls")),
    path("api/v1/pulse/", pulse_api.urls),
    path("api/v1/", honeycomb_api.urls),
]

urlpatterns += i18n_patterns(
    # cms: login, password reset, start page, own API tokens, the consultant's portfolio
    path("", include("cms.account_urls")),
    path("", include("scan.public_urls")),  # scan_public: respondent, open and welcome links
    path("", include("pulse.public_urls")),  # pulse_public: tenant survey, card, partner start
    path("org/<slug:org>/", include(organisation_urlpatterns)),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if getattr(settings, "KLANTRAAT_BENCH_FLOOR", False):
    from django.views.decorators.csrf import csrf_exempt

    # Before the page catch-all, which would otherwise answer this path.
    urlpatterns.insert(0, path("bench/floor/<str:token>/", csrf_exempt(views.bench_floor)))
    urlpatterns.insert(0, path("bench/view-floor/<int:pk>/", views.bench_view_floor))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
