import datetime as dt

import pytest
from django.utils import timezone

from pulse import services
from pulse.links import link_token
from pulse.sms import LocmemSmsBackend


@pytest.fixture
def moments(org_a):
    return {m.code: m for m in services.moments_install_defaults(organisation=org_a)}


@pytest.fixture(autouse=True)
def _sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox


def event(n: int, **overrides) -> services.EventInput:
    values = {
        "source_id": f"WO-{n}",
        "moment": "reparatie",
        "occurred_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "partner": "Bouwbedrijf Jansen",
        "area": "Complex 12",
        "email": f"huurder{n}@example.nl",
        "phone": "",
    }
    values.update(overrides)
    return services.EventInput(**values)


def token_of(pulse_event) -> str:
    return link_token(pulse_event.invitation.link_nonce)
