"""The two APIs as a system calls them, with a bearer token: the results API (a person's
``results:read`` token) and the pulse's event API (an organisation's ``pulse:events`` token)."""

RESULTS = "/api/v1/organisations"
PULSE = "/api/v1/pulse/events"


def results(client, raw):
    return client.get(RESULTS, HTTP_AUTHORIZATION=f"Bearer {raw}")


def pulse(client, raw):
    return client.post(
        PULSE, {"events": []}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
