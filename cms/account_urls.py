from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views, views_account
from .login_policy import RateLimitedPasswordResetForm

app_name = "cms"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("after-login/", views_account.landing, name="landing"),
    path("my-actions/", views_account.my_actions, name="my_actions"),
    path("account/api-tokens/", views_account.api_tokens, name="api_tokens"),
    path("portfolio/", views_account.portfolio, name="portfolio"),
    path("organisations/new/", views_account.organisation_create, name="organisation_create"),
    path(
        "login/",
        views_account.SiteLoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="cms/password_reset.html",
            form_class=RateLimitedPasswordResetForm,
            email_template_name="cms/mail/password_reset.txt",
            subject_template_name="cms/mail/password_reset_subject.txt",
            success_url=reverse_lazy("cms:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="cms/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="cms/password_reset_confirm.html",
            success_url=reverse_lazy("cms:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="cms/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
