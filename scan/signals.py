"""Publishing a maturity model in the CMS freezes a new ModelVersion."""

from django.dispatch import receiver
from wagtail.signals import published

from .models import MaturityModel


@receiver(published, sender=MaturityModel)
def freeze_published_model(sender, instance: MaturityModel, revision=None, **kwargs) -> None:
    from .services import model_version_publish

    model_version_publish(model=instance, user=getattr(revision, "user", None))
