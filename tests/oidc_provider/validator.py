from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailValidator(OAuth2Validator):
    """Puts the account's e-mail address in the ID token, as Entra ID does with `email`."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email": "email"}

    def get_additional_claims(self, request):
        return {"email": request.user.email, "email_verified": True}
