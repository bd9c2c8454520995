"""The one outbox for every message Klantraat sends (mail and SMS), whatever app queues it:
queueing (``queue``), sending (``send``), the kinds' registry (``kinds``), delivery reports
(``delivery``) and notices to people with a login (``notices``)."""

from ..models.outbox import LINK_MARK, NOTICE
from .delivery import (
    DeliveryReport,
    address_key,
    address_undeliverable,
    delivery_apply,
    mail_delivery_record,
    report_from_anymail,
    undeliverable_among,
)
from .kinds import Rendered, register
from .notices import Notice, notices_queue
from .queue import (
    UNDELIVERABLE,
    mail_message_id,
    mails_enqueue,
    mails_send_pending,
    message_enqueue,
    messages_enqueue,
    sent_bodies_clear,
)
from .send import give_up, mail_send, outbox_send_batch

__all__ = [
    "LINK_MARK",
    "NOTICE",
    "UNDELIVERABLE",
    "DeliveryReport",
    "Notice",
    "Rendered",
    "address_key",
    "address_undeliverable",
    "delivery_apply",
    "give_up",
    "mail_delivery_record",
    "mail_message_id",
    "mail_send",
    "mails_enqueue",
    "mails_send_pending",
    "message_enqueue",
    "messages_enqueue",
    "notices_queue",
    "outbox_send_batch",
    "register",
    "report_from_anymail",
    "sent_bodies_clear",
    "undeliverable_among",
]
