"""Start the test identity provider: python -m tests.oidc_provider.serve

Environment: OIDC_TEST_PORT, OIDC_TEST_DB (a fresh SQLite file), OIDC_TEST_CLIENT_ID,
OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URI, OIDC_TEST_USERS (comma-separated e-mail
addresses, password "idp-password" for all), OIDC_TEST_CODE_SECONDS."""

import os

import django


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for email in filter(None, os.environ.get("OIDC_TEST_USERS", "").split(",")):
        User.objects.create_user(username=email, email=email, password="idp-password")
    Application.objects.create(
        name="Klantraat",
        client_id=os.environ["OIDC_TEST_CLIENT_ID"],
        client_secret=os.environ["OIDC_TEST_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_TEST_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command(
        "runserver", f"127.0.0.1:{os.environ['OIDC_TEST_PORT']}", use_reloader=False, verbosity=0
    )


if __name__ == "__main__":
    main()
