"""The person behind a request is the actor of every audit event it writes, also when the
change happens deep inside the CMS (a role changed on a membership snippet)."""

from scan.audit import acting_as


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)
